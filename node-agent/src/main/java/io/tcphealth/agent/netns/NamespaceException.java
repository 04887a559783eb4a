package io.tcphealth.agent.netns;

import java.io.IOException;

/** A network namespace could not be entered, or work inside it did not finish. */
public class NamespaceException extends IOException {
    private static final long serialVersionUID = 1L;

    public NamespaceException(String message) {
        super(message);
    }

    public NamespaceException(String message, Throwable cause) {
        super(message, cause);
    }
}
