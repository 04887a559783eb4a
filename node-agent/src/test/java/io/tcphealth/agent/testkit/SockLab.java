package io.tcphealth.agent.testkit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The {@code socklab} helper (src/test/c/socklab.c), compiled once per test JVM into a temporary
 * directory that is removed when the JVM exits.
 */
final class SockLab {
    private static Path binary;

    private SockLab() {}

    static synchronized Path binary() throws IOException {
        if (binary != null) {
            return binary;
        }
        Path source = locateSource();
        Path dir = Files.createTempDirectory("tcphealth-socklab");
        Path out = dir.resolve("socklab");
        Commands.run("gcc", "-O1", "-Wall", "-pthread", "-o", out.toString(), source.toString());
        // deleteOnExit runs in reverse order of registration: the binary first, then its (then empty) folder.
        dir.toFile().deleteOnExit();
        out.toFile().deleteOnExit();
        binary = out;
        return out;
    }

    private static Path locateSource() throws IOException {
        for (Path candidate :
                new Path[] {Path.of("src/test/c/socklab.c"), Path.of("node-agent/src/test/c/socklab.c")}) {
            if (Files.isRegularFile(candidate)) {
                return candidate.toAbsolutePath();
            }
        }
        throw new IOException(
                "Cannot find src/test/c/socklab.c from " + Path.of("").toAbsolutePath());
    }
}
