package io.tcphealth.testsupport;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the project's files are, for tests that read the chart, the CRDs, the examples, the docs or the built jars:
 * under {@code -Dtcphealth.root} (the modules' poms set it), else the parent of the module Maven runs the tests in.
 */
public final class ProjectFiles {

    private ProjectFiles() {}

    public static Path root() {
        String root = System.getProperty("tcphealth.root");
        Path path = Path.of(root == null ? ".." : root).toAbsolutePath().normalize();
        if (!Files.isDirectory(path.resolve("charts/tcphealth"))) {
            throw new IllegalStateException("No charts/tcphealth under " + path + "; set -Dtcphealth.root");
        }
        return path;
    }

    public static Path file(String relative) {
        return root().resolve(relative);
    }

    /** The Helm chart's folder. */
    public static Path chart() {
        return root().resolve("charts/tcphealth");
    }

    /** A jar the build made, named by a system property the module's pom sets, else {@code fallback} under the root. */
    public static Path jar(String property, String fallback) {
        Path jar = Path.of(System.getProperty(property, root().resolve(fallback).toString()));
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(
                    "No " + jar + ": build the project first (mvn verify builds it before this module)");
        }
        return jar;
    }
}
