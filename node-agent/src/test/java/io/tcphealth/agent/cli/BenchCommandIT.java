package io.tcphealth.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The benchmark as a user runs it, from the built jar, on a small namespace: every figure is there,
 * the namespace really held the connections, and nothing is left behind. Timings are printed, not
 * checked.
 */
class BenchCommandIT {
    private static final Path NETNS_DIR = Path.of("/var/run/netns");

    @Test
    void measuresEveryFigureOnItsOwnNamespaceAndRemovesIt() throws Exception {
        Path jar = Path.of(System.getProperty("tcphealth.jar", "target/tcphealth.jar"));
        List<String> cmd = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar",
                jar.toString(),
                "bench",
                "--connections",
                "300",
                "--close-wait",
                "5",
                "--fin-wait1",
                "2",
                "--extra-namespaces",
                "2",
                "--rounds",
                "1",
                "-o",
                "json"));
        Process p = new ProcessBuilder(cmd)
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        byte[] out = p.getInputStream().readAllBytes();
        assertThat(p.waitFor(5, TimeUnit.MINUTES)).isTrue();
        assertThat(p.exitValue()).as(new String(out, StandardCharsets.UTF_8)).isZero();

        JsonNode result = new ObjectMapper().readTree(out);
        System.out.println(result.toPrettyString());
        JsonNode setup = result.get("setup");
        // 300 pairs, 5 CLOSE_WAIT pairs, 2 FIN_WAIT1 senders and their receivers, 3 listeners.
        assertThat(setup.get("sockets").asInt())
                .isBetween(2 * 300 + 2 * 5 + 2 * 2 + 3 - 2, 2 * 300 + 2 * 5 + 2 * 2 + 3);
        assertThat(setup.get("helperProcesses").asInt()).isEqualTo(2);
        List<String> keys = new ArrayList<>();
        result.get("figures").forEach(f -> {
            keys.add(f.get("key").asText());
            assertThat(f.get("rounds").asInt()).isEqualTo(1);
            assertThat(f.get("medianMillis").asDouble())
                    .as(f.get("key").asText())
                    .isPositive();
        });
        assertThat(keys)
                .containsExactly(
                        "list",
                        "fullCold",
                        "fullWarm",
                        "rescan",
                        "fullWalkEveryFd",
                        "ssTan",
                        "ssTanp",
                        "extraNamespace");
        assertThat(result.get("extraNamespaces").get("count").asInt()).isEqualTo(2);
        assertThat(result.get("ownerCache").get("processesRead").asInt())
                .as("nothing changed before the re-scan")
                .isZero();
        JsonNode memory = result.get("memory");
        assertThat(memory.get("peakRssKiB").asLong()).isPositive();
        assertThat(memory.get("coldScanPeakRssKiB").asLong()).isPositive();
        assertThat(memory.get("rssAfterScansKiB"))
                .extracting(n -> n.get("scans").asInt())
                .containsExactly(1, 10, 100);

        // Only this run's own namespaces and helpers are looked at: other benchmarks may run on the machine meanwhile.
        List<String> made = new ArrayList<>();
        setup.get("namespaces").forEach(n -> made.add(n.asText()));
        assertThat(made).hasSize(1 + 2).allMatch(n -> n.startsWith("tcphealth-bench-"));
        assertThat(benchNamespaces()).as("namespaces left behind").doesNotContainAnyElementsOf(made);
        assertThat(helpersOf(made)).as("helpers left behind").isEmpty();
    }

    /** Live processes whose environment says they serve one of these benchmark namespaces. */
    private static List<Long> helpersOf(List<String> namespaces) {
        return ProcessHandle.allProcesses()
                .filter(h -> {
                    try {
                        String env = Files.readString(Path.of("/proc", Long.toString(h.pid()), "environ"))
                                .replace('\0', '\n');
                        return namespaces.stream()
                                .anyMatch(n -> env.lines().anyMatch(l -> l.equals("TCPHEALTH_BENCH_NAMESPACE=" + n)));
                    } catch (IOException | RuntimeException e) {
                        return false; // gone meanwhile, or not ours to read
                    }
                })
                .map(ProcessHandle::pid)
                .toList();
    }

    private static Set<String> benchNamespaces() throws IOException {
        if (!Files.isDirectory(NETNS_DIR)) {
            return Set.of();
        }
        try (Stream<Path> entries = Files.list(NETNS_DIR)) {
            return Set.copyOf(entries.map(e -> e.getFileName().toString())
                    .filter(n -> n.startsWith("tcphealth-bench-"))
                    .toList());
        }
    }
}
