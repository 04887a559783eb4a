package io.tcphealth.apitest;

import java.nio.file.Files;
import java.nio.file.Path;

/** Where the project's files are: the chart, the CRDs, the examples, the built jars. */
final class Project {

    private Project() {}

    static Path root() {
        String root = System.getProperty("tcphealth.root");
        Path path = Path.of(root == null ? ".." : root).toAbsolutePath().normalize();
        if (!Files.isDirectory(path.resolve("charts/tcphealth"))) {
            throw new IllegalStateException("No charts/tcphealth under " + path + "; set -Dtcphealth.root");
        }
        return path;
    }

    static Path file(String relative) {
        return root().resolve(relative);
    }

    /** A jar the build made, named by a system property the module's pom sets. */
    static Path jar(String property, String fallback) {
        Path jar = Path.of(System.getProperty(property, root().resolve(fallback).toString()));
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(
                    "No " + jar + ": build the project first (mvn verify builds it before this module)");
        }
        return jar;
    }

    /** Where the control plane's, the operator's and the agents' logs are kept for reading after a run. */
    static Path logs() {
        return Path.of(System.getProperty("tcphealth.logs", "target/api-test-logs"))
                .toAbsolutePath();
    }
}
