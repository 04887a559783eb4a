package io.tcphealth.agent.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.tcphealth.api.v1alpha1.TcpHealthNode;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The built jar as the DaemonSet runs it ({@code tcphealth run}, here with {@code --cluster} and a kubeconfig
 * instead of a pod's service account), scanning this machine for real in Observe mode (which reads only),
 * against a mock API server: it reports its node, serves metrics and probes, and stops cleanly on SIGTERM.
 */
class ClusterRunIT {
    private static final Pattern PORT = Pattern.compile("metrics and probes on port (\\d+)");

    @TempDir
    Path dir;

    @Test
    void theAgentReportsServesProbesAndStopsOnSigterm() throws Exception {
        KubernetesMockServer server = new KubernetesMockServer(
                new Context(), new MockWebServer(), new HashMap<>(), new NodeFieldDispatcher(), false);
        server.init();
        Process agent = null;
        List<String> output = new ArrayList<>();
        try (KubernetesClient client = server.createClient()) {
            try (InputStream in = getClass()
                    .getClassLoader()
                    .getResourceAsStream("META-INF/fabric8/tcphealthnodes.tcphealth.io-v1.yml")) {
                client.apiextensions()
                        .v1()
                        .customResourceDefinitions()
                        .resource(client.getKubernetesSerialization().unmarshal(in, CustomResourceDefinition.class))
                        .create();
            }
            TcpHealthNode node = ClusterAgentTest.node(1, ClusterAgentTest.spec(List.of("observe-all")));
            node.getMetadata().setName("this-host");
            node.getMetadata().setUid(null);
            client.resource(node).create();
            Path kubeconfig = dir.resolve("kubeconfig");
            Files.writeString(kubeconfig, """
                    apiVersion: v1
                    kind: Config
                    clusters: [{name: mock, cluster: {server: "%s"}}]
                    users: [{name: agent, user: {}}]
                    contexts: [{name: mock, context: {cluster: mock, user: agent}}]
                    current-context: mock
                    """.formatted(client.getMasterUrl().toString()));

            ProcessBuilder pb = new ProcessBuilder(
                            ProcessHandle.current().info().command().orElseThrow(),
                            "--enable-native-access=ALL-UNNAMED",
                            "-jar",
                            Path.of(System.getProperty("tcphealth.jar", "target/tcphealth.jar"))
                                    .toString(),
                            "run",
                            "--cluster",
                            "--node",
                            "this-host",
                            "--host-netns",
                            "self",
                            "--journal",
                            dir.resolve("journal").toString(),
                            "--metrics-port",
                            "0")
                    .redirectErrorStream(true);
            pb.environment().put("KUBECONFIG", kubeconfig.toString());
            pb.environment().remove("NODE_NAME");
            agent = pb.start();
            Process running = agent;
            Thread reader = new Thread(() -> {
                try (BufferedReader r =
                        new BufferedReader(new InputStreamReader(running.getInputStream(), StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = r.readLine()) != null) {
                        synchronized (output) {
                            output.add(line);
                        }
                    }
                } catch (java.io.IOException e) {
                    // ended
                }
            });
            reader.setDaemon(true);
            reader.start();

            int port = await().atMost(Duration.ofSeconds(60)).until(() -> port(output), p -> p > 0);
            HttpClient http = HttpClient.newHttpClient();
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                assertThat(get(http, port, "/readyz").statusCode()).isEqualTo(200);
                TcpHealthNode reported = client.resources(TcpHealthNode.class)
                        .withName("this-host")
                        .get();
                assertThat(reported.getStatus()).isNotNull();
                assertThat(reported.getStatus().getLastScan().getSockets()).isPositive();
                assertThat(reported.getStatus().getAppliedPolicies()).containsExactly("observe-all");
            });
            assertThat(get(http, port, "/livez").statusCode()).isEqualTo(200);
            assertThat(get(http, port, "/metrics").body())
                    .contains("tcphealth_scan_duration_seconds_count")
                    .contains("tcphealth_sockets{namespace_kind=\"host\",state=\"listen\"}")
                    .contains("tcphealth_api_writes_total{object=\"status\",result=\"ok\"}");

            agent.toHandle().destroy();
            assertThat(agent.waitFor(25, TimeUnit.SECONDS))
                    .as("exits within the grace period")
                    .isTrue();
            reader.join(5_000);
            // 143: the JVM reports the SIGTERM it ended on, after the shutdown hook let the loop finish.
            assertThat(agent.exitValue()).isIn(0, 143);
            synchronized (output) {
                assertThat(String.join("\n", output)).contains("Agent on node this-host stopped after");
            }
        } finally {
            if (agent != null && agent.isAlive()) {
                agent.destroyForcibly();
                agent.waitFor(10, TimeUnit.SECONDS);
            }
            server.destroy();
        }
    }

    private static int port(List<String> output) {
        synchronized (output) {
            for (String line : output) {
                Matcher m = PORT.matcher(line);
                if (m.find()) {
                    return Integer.parseInt(m.group(1));
                }
            }
        }
        return -1;
    }

    private static HttpResponse<String> get(HttpClient http, int port, String path) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
