package io.tcphealth.agent.journal;

import java.io.IOException;
import java.nio.file.Path;

/** A journal line that is not what tcphealth wrote. Nothing is restored from a journal tcphealth cannot trust. */
public final class JournalCorruptException extends IOException {
    private static final long serialVersionUID = 1L;

    public JournalCorruptException(Path file, int line, String reason) {
        super(
                "Journal " + file + " is corrupt at line " + line + ": " + reason
                        + "; nothing was changed. Inspect the file, put the values it lists back by hand if needed, then move it away");
    }
}
