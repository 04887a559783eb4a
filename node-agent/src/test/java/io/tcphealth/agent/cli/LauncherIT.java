package io.tcphealth.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** bin/tcphealth as a person runs it: through a symbolic link, from another folder, with and without its cache. */
class LauncherIT {
    private static final Path LAUNCHER =
            Path.of("..", "bin", "tcphealth").toAbsolutePath().normalize();

    @TempDir
    Path tmp;

    private record Result(int exit, String out, String err) {}

    private Result run(Map<String, String> env, String... args) throws IOException, InterruptedException {
        Path link = tmp.resolve("tcphealth");
        if (!Files.exists(link, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            Files.createSymbolicLink(link, LAUNCHER);
        }
        List<String> cmd = new ArrayList<>(List.of(link.toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(tmp.toFile());
        pb.environment()
                .put("TCPHEALTH_JAR", AgentProcess.jar().toAbsolutePath().toString());
        pb.environment().put("TCPHEALTH_CACHE_DIR", tmp.resolve("cache").toString());
        pb.environment().putAll(env);
        Path err = tmp.resolve("stderr");
        Process p = pb.redirectError(err.toFile()).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        return new Result(p.exitValue(), out, Files.readString(err));
    }

    private List<Path> caches() throws IOException {
        try (Stream<Path> files = Files.list(tmp.resolve("cache"))) {
            return files.filter(f -> f.getFileName().toString().endsWith(".aot"))
                    .toList();
        }
    }

    @Test
    void runsThroughALinkWithAJava17HomeAndKeepsStdoutForTheReport() throws Exception {
        // A stock Debian's JAVA_HOME is Java 17: the launcher looks further and finds the 25.
        Result r =
                run(Map.of("JAVA_HOME", "/usr/lib/jvm/java-17-openjdk-amd64", "TCPHEALTH_CACHE", "build"), "--version");

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).startsWith("tcphealth ").hasLineCount(1);
        assertThat(caches()).as("made at once with TCPHEALTH_CACHE=build").hasSize(1);

        Result json = run(Map.of(), "diagnose", "--host-netns", "self", "-o", "json");
        assertThat(json.exit()).as(json.err()).isBetween(0, 2);
        assertThat(new ObjectMapper()
                        .readTree(json.out())
                        .path("lastScan")
                        .path("source")
                        .asText())
                .isEqualTo("netlink");
    }

    @Test
    void aDamagedCacheDoesNotBreakTheCommand() throws Exception {
        assertThat(run(Map.of("TCPHEALTH_CACHE", "build"), "--version").exit()).isZero();
        Path cache = caches().getFirst();
        byte[] head = Files.readAllBytes(cache);
        Files.write(cache, java.util.Arrays.copyOf(head, head.length / 3));

        Result r = run(Map.of(), "--version");

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out())
                .as("JVM notes about the cache stay off standard output")
                .startsWith("tcphealth ")
                .hasLineCount(1);
    }
}
