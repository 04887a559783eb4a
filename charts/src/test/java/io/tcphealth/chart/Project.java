package io.tcphealth.chart;

import java.nio.file.Files;
import java.nio.file.Path;

/** Where the project's files are, for tests that read the chart, the Dockerfiles and the docs. */
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

    static Path chart() {
        return root().resolve("charts/tcphealth");
    }

    static Path file(String relative) {
        return root().resolve(relative);
    }
}
