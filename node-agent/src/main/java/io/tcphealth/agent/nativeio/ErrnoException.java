package io.tcphealth.agent.nativeio;

import java.io.IOException;

/** A system call, or a kernel reply, failed with an errno. */
public class ErrnoException extends IOException {
    private static final long serialVersionUID = 1L;

    private final int errno;

    /**
     * @param operation what failed, for example {@code setns(/proc/42/ns/net)}
     * @param errno     the positive errno number
     */
    public ErrnoException(String operation, int errno) {
        super(operation + ": " + Errno.describe(errno));
        this.errno = errno;
    }

    public int errno() {
        return errno;
    }
}
