package io.tcphealth.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The {@code socklab} helper, whose C source ships in this jar (src/main/c/socklab.c, put beside this class), compiled once per
 * test JVM into a temporary directory that is removed when the JVM exits. Read from the class path, so every
 * module's tests find the one source wherever Maven runs them from.
 */
public final class SockLab {
    private static Path binary;

    private SockLab() {}

    /** The compiled helper; the first call compiles it with gcc. */
    public static synchronized Path binary() throws IOException {
        if (binary != null) {
            return binary;
        }
        Path dir = Files.createTempDirectory("tcphealth-socklab");
        Path source = dir.resolve("socklab.c");
        Path out = dir.resolve("socklab");
        try (InputStream in = SockLab.class.getResourceAsStream("socklab.c")) {
            if (in == null) {
                throw new IOException("socklab.c is not on the class path beside " + SockLab.class.getName());
            }
            Files.copy(in, source);
        }
        // deleteOnExit runs in reverse order of registration: the files first, then their (then empty) folder.
        dir.toFile().deleteOnExit();
        source.toFile().deleteOnExit();
        out.toFile().deleteOnExit();
        Commands.run("gcc", "-O1", "-Wall", "-pthread", "-o", out.toString(), source.toString());
        binary = out;
        return out;
    }
}
