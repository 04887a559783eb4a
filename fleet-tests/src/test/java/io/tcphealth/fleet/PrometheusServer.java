package io.tcphealth.fleet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tcphealth.testsupport.TestNetns;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Debian's {@code prometheus} on the loopback of a test's network namespace, with a configuration the test
 * writes and a data directory of its own; stopped and removed on close. Its API is reached through
 * {@code http}, which opens its connections inside that namespace.
 */
final class PrometheusServer implements AutoCloseable {
    private final Path dir;
    private final Process process;
    private final int port;
    private final Http http;
    private final ObjectMapper json = new ObjectMapper();

    /** GET of a URL, answered with the body; throws on a status other than 200. */
    interface Http {
        String get(URI uri) throws IOException, InterruptedException;
    }

    PrometheusServer(TestNetns ns, int port, String config, Http http) throws IOException {
        this.port = port;
        this.http = http;
        dir = Files.createTempDirectory("tcphealth-prometheus");
        Files.writeString(dir.resolve("prometheus.yml"), config);
        process = new ProcessBuilder(
                        "ip",
                        "netns",
                        "exec",
                        ns.name(),
                        "prometheus",
                        "--config.file=" + dir.resolve("prometheus.yml"),
                        "--storage.tsdb.path=" + dir.resolve("data"),
                        "--web.listen-address=127.0.0.1:" + port)
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("prometheus.log").toFile())
                .start();
    }

    /** The result list of an instant query (empty when it returns no series). */
    JsonNode query(String promql) throws IOException, InterruptedException {
        URI uri = URI.create("http://127.0.0.1:" + port + "/api/v1/query?query="
                + URLEncoder.encode(promql, StandardCharsets.UTF_8));
        String text = http.get(uri);
        JsonNode body = json.readTree(text);
        if (!"success".equals(body.path("status").asText())) {
            throw new IOException("Query " + promql + " failed: " + text);
        }
        return body.path("data").path("result");
    }

    String log() throws IOException {
        return Files.readString(dir.resolve("prometheus.log"));
    }

    @Override
    public void close() throws IOException, InterruptedException {
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
    }
}
