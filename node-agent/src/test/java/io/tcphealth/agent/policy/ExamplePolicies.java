package io.tcphealth.agent.policy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The policies under the project's {@code examples/} folder, as users get them. */
public final class ExamplePolicies {
    private ExamplePolicies() {}

    /** The text of {@code examples/NAME}, found from the module's or the project's folder. */
    public static String read(String name) {
        for (Path dir : new Path[] {Path.of("../examples"), Path.of("examples")}) {
            Path file = dir.resolve(name);
            if (Files.isRegularFile(file)) {
                try {
                    return Files.readString(file);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
        throw new IllegalStateException(
                "No examples/" + name + " from " + Path.of("").toAbsolutePath());
    }
}
