package io.tcphealth.agent.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * How the benchmark starts a whole {@code diagnose}: through the launcher that started it (which exports its own path
 * as TCPHEALTH_LAUNCHER), with its flags and start-up cache, as a person runs it; without one, this JVM's java with
 * the launcher's flags and no cache.
 */
public record DiagnoseCommandLine(List<String> prefix, boolean launcher) {
    static final List<String> ARGS = List.of("diagnose", "--host-netns", "self");

    public static DiagnoseCommandLine fromEnvironment() {
        String launcher = System.getenv("TCPHEALTH_LAUNCHER");
        if (launcher != null && Files.isExecutable(Path.of(launcher))) {
            return new DiagnoseCommandLine(List.of(launcher), true);
        }
        List<String> java = new ArrayList<>(ScanBenchmark.javaCommand(
                List.of("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xss256k", "-XX:-UsePerfData")));
        return new DiagnoseCommandLine(java, false);
    }

    List<String> command() {
        List<String> cmd = new ArrayList<>(prefix);
        cmd.addAll(ARGS);
        return cmd;
    }

    String describe() {
        return (launcher ? prefix.getFirst() : "java -cp tcphealth.jar (no launcher, no start-up cache)") + " "
                + String.join(" ", ARGS);
    }
}
