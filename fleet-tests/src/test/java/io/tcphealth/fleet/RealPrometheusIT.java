package io.tcphealth.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.sun.net.httpserver.HttpServer;
import io.tcphealth.agent.nativeio.Libc;
import io.tcphealth.agent.netns.HostNetns;
import io.tcphealth.agent.netns.NamespaceDiscovery;
import io.tcphealth.agent.netns.NamespaceExecutor;
import io.tcphealth.agent.netns.NetNamespace;
import io.tcphealth.agent.proc.ProcFs;
import io.tcphealth.agent.scan.NodeScanner;
import io.tcphealth.agent.scan.ScanScope;
import io.tcphealth.agent.socket.netlink.NetlinkSocketSource;
import io.tcphealth.api.v1alpha1.TcpHealthPolicy;
import io.tcphealth.api.v1alpha1.Thresholds;
import io.tcphealth.testsupport.TestNetns;
import java.io.IOException;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.URI;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shipped dashboard and alerts against a real Prometheus (Debian's), all inside one network namespace the
 * test makes: the five connection failures are made there for real; an agent in cluster mode (the real
 * ClusterAgent against the mock API server, fed the real scanner's scans of that namespace) and the operator
 * serve their registries, a plain-host {@code tcphealth run} serves its own, and Prometheus scrapes all three.
 * Prometheus loads the alerts as the chart renders them, with a short {@code for} for the five failures' alerts
 * (a chart value, {@code prometheusRule.for}). Every dashboard query must return series, the alerts of the five
 * failures must fire with the node and finding type as labels, the per-namespace listen-overflow alert must fire
 * naming the namespace, every other alert expression must select series, {@code promtool check metrics} must
 * pass on each scrape, and the agent's label values must be lower case.
 */
class RealPrometheusIT {
    private static final int PROMETHEUS = 19090;
    private static final int FLEET_METRICS = 19465;
    private static final int PLAIN_AGENT = 19464;
    private static final Path CHART =
            Path.of("../charts/tcphealth").toAbsolutePath().normalize();
    private static final Set<String> FAILURE_ALERTS = Set.of(
            "TcpHealthEphemeralPortExhaustion",
            "TcpHealthListenQueueOverflow",
            "TcpHealthStalledConnection",
            "TcpHealthTcpMemoryPressure",
            "TcpHealthZeroWindowStall");
    /** The five failures' alerts fire after this long instead of the shipped minutes. */
    private static final String SHORT_FOR = "5s";

    private static final Pattern LOWER = Pattern.compile("[a-z0-9_]*");

    @Test
    void everyDashboardQueryAndAlertExpressionSelectsSeriesFromRealScrapes(@TempDir Path tmp) throws Exception {
        Path tcpMem = tmp.resolve("sysctl/net/ipv4/tcp_mem");
        Files.createDirectories(tcpMem.getParent());
        Files.writeString(tcpMem, "1\t2\t4\n");
        Files.writeString(tcpMem.resolveSibling("tcp_max_orphans"), "65536\n");
        Libc libc = new Libc();
        NamespaceExecutor executor = new NamespaceExecutor(libc);
        List<SocketChannel> clients = new CopyOnWriteArrayList<>();
        try (TestNetns ns = TestNetns.create()) {
            NetNamespace netns = new NetNamespace(ns.inode(), ns.path(), true, List.of());
            makeTheFiveFailures(ns);

            NodeScanner scanner = new NodeScanner(
                            new ProcFs(Path.of("/proc")),
                            new NamespaceDiscovery(Path.of("/proc"), new HostNetns.AtPath(ns.path())),
                            null,
                            executor,
                            new NetlinkSocketSource(libc),
                            Clock.systemUTC())
                    .globalSysctls(tmp.resolve("sysctl"));
            try (Fleet fleet = new Fleet()) {
                fleet.node("n1", Map.of());
                Fleet.Agent agent = fleet.agent("n1");
                fleet.admin.resource(policy()).create();
                Thread feeder =
                        Thread.ofPlatform().daemon().start(() -> feed(agent, scanner, executor, netns, clients));
                HttpServer metrics = executor.call(netns, () -> serve(fleet, agent));
                Process plain = startPlainHostAgent(ns, tmp);
                Map<String, String> shortFor = new TreeMap<>();
                FAILURE_ALERTS.forEach(a -> shortFor.put(a, SHORT_FOR));
                Path rules = ChartAlertRules.render(CHART, shortFor, tmp.resolve("tcphealth-rules.yaml"));
                try (PrometheusServer prometheus = new PrometheusServer(
                        ns, PROMETHEUS, config(rules), uri -> executor.call(netns, () -> get(uri)))) {
                    try {
                        check(prometheus, executor, netns);
                        // The node status carries the namespace's own counters too.
                        await().atMost(Duration.ofSeconds(60))
                                .ignoreExceptions()
                                .untilAsserted(() -> assertThat(
                                                agent.object().getStatus().getNamespaceCounters())
                                        .first()
                                        .satisfies(c -> {
                                            assertThat(c.getNetns()).isEqualTo("host");
                                            assertThat(c.getIncrease()).containsKey("listen_overflows");
                                        }));
                    } catch (AssertionError | RuntimeException e) {
                        System.out.println(prometheus.log());
                        throw e;
                    }
                } finally {
                    feeder.interrupt();
                    metrics.stop(0);
                    plain.destroy();
                    plain.waitFor(20, TimeUnit.SECONDS);
                    for (SocketChannel c : clients) {
                        c.close();
                    }
                }
            }
        }
    }

    private static void check(PrometheusServer prometheus, NamespaceExecutor executor, NetNamespace netns)
            throws Exception {
        Duration wait = Duration.ofSeconds(90);
        for (String job : List.of("tcphealth-agent", "tcphealth-operator", "tcphealth-run")) {
            await().atMost(wait)
                    .ignoreExceptions()
                    .untilAsserted(() -> assertThat(prometheus.query("up{job=\"" + job + "\"} == 1"))
                            .as("%s is scraped", job)
                            .hasSize(1));
        }
        for (String expr : dashboardQueries()) {
            await().atMost(wait)
                    .ignoreExceptions()
                    .untilAsserted(() -> assertThat(prometheus.query(expr))
                            .as("dashboard query %s", expr)
                            .isNotEmpty());
        }
        for (Map.Entry<String, String> alert : alertExpressions().entrySet()) {
            String name = alert.getKey();
            if (FAILURE_ALERTS.contains(name)) {
                await().atMost(wait).ignoreExceptions().untilAsserted(() -> {
                    assertThat(prometheus.query(alert.getValue()))
                            .as("%s: %s", name, alert.getValue())
                            .isNotEmpty();
                    assertThat(prometheus.query("ALERTS{alertname=\"" + name + "\", alertstate=~\"pending|firing\"}"))
                            .as("%s is pending", name)
                            .isNotEmpty();
                });
                String type = ChartAlertRules.findingType(alert.getValue());
                await().atMost(wait)
                        .ignoreExceptions()
                        .untilAsserted(() -> assertThat(
                                        prometheus.query("ALERTS{alertname=\"" + name + "\", alertstate=\"firing\"}"))
                                .as("%s fires", name)
                                // The plain-host agent scans the scratch namespace too, with the same thresholds, and
                                // serves the same metrics: it may fire for it as well (not TcpMemoryPressure: only the
                                // cluster agent's scanner reads the test's tiny tcp_mem).
                                .allSatisfy(series -> {
                                    JsonNode labels = series.path("metric");
                                    assertThat(labels.path("type").asText()).isEqualTo(type);
                                    assertThat(labels.path("severity").asText()).isEqualTo("critical");
                                })
                                .extracting(series ->
                                        series.path("metric").path("node").asText())
                                .contains("n1")
                                .isSubsetOf("n1", "plain"));
            } else {
                for (String side : alert.getValue().split(" and ")) {
                    String selector = side.replaceAll("\\s*(>=|<=|==|!=|>|<)\\s*[0-9.]+\\s*$", "");
                    await().atMost(wait)
                            .ignoreExceptions()
                            .untilAsserted(() -> assertThat(prometheus.query(selector))
                                    .as("%s selects series: %s", name, selector)
                                    .isNotEmpty());
                }
            }
        }
        // No `for`: it fires on the first rise, naming the namespace (the scratch namespace is the agent's host).
        await().atMost(wait)
                .ignoreExceptions()
                .untilAsserted(() -> assertThat(prometheus.query(
                                "ALERTS{alertname=\"TcpHealthListenOverflows\", alertstate=\"firing\"}"))
                        .as("TcpHealthListenOverflows fires")
                        .anySatisfy(series -> {
                            JsonNode labels = series.path("metric");
                            assertThat(labels.path("node").asText()).isEqualTo("n1");
                            assertThat(labels.path("netns").asText()).isEqualTo("host");
                            assertThat(labels.path("severity").asText()).isEqualTo("warning");
                        }));
        for (JsonNode series : prometheus.query("{__name__=~\"tcphealth_.+\", job!=\"tcphealth-operator\"}")) {
            series.path("metric").fields().forEachRemaining(label -> {
                if (Set.of("state", "type", "severity", "kind", "result", "event", "namespace_kind", "object")
                        .contains(label.getKey())) {
                    assertThat(label.getValue().asText())
                            .as("label %s of %s", label.getKey(), series.path("metric"))
                            .matches(LOWER);
                }
            });
        }
        for (String path : List.of(
                "http://127.0.0.1:" + FLEET_METRICS + "/agent/metrics",
                "http://127.0.0.1:" + FLEET_METRICS + "/operator/metrics",
                "http://127.0.0.1:" + PLAIN_AGENT + "/metrics")) {
            String scrape = executor.call(netns, () -> get(URI.create(path)));
            assertThat(scrape).contains("tcphealth_");
            promtoolCheckMetrics(path, scrape);
        }
    }

    /** Each failure as the node agent's kernel tests make it, all in the one namespace. */
    private static void makeTheFiveFailures(TestNetns ns) throws Exception {
        ns.exec("sysctl", "-q", "-w", "net.ipv4.ip_local_port_range=40000 40019");
        ns.socklab("portexhaust", "127.0.0.1", 9300);
        ns.socklab("backlog", "127.0.0.1", 9301, 2);
        TestNetns.Helper stall = ns.socklab("stall", "127.0.0.1", 9302);
        ns.exec("iptables-legacy", "-w", "-A", "INPUT", "-p", "tcp", "--dport", "9302", "-j", "DROP");
        try (OutputStream in = stall.process().getOutputStream()) {
            in.write("go\n".getBytes(StandardCharsets.US_ASCII));
        }
        ns.socklab("zerowindow", "127.0.0.1", 9303, "split");
        // About 3.4 MiB unread, past the kernel's per-CPU reserve, for tcp_mem's fixture; three ports, since
        // the narrowed range leaves each destination 20 local ports.
        for (int port = 9304; port <= 9306; port++) {
            ns.socklab("closewait", "127.0.0.1", port, 18, 65536);
        }
    }

    private static TcpHealthPolicy policy() {
        TcpHealthPolicy policy = new TcpHealthPolicy();
        policy.getMetadata().setName("everything");
        Thresholds t = new Thresholds();
        t.setStalledRetransmits(2);
        t.setStuckAfter("1s");
        policy.getSpec().setThresholds(t);
        return policy;
    }

    /** Scans the namespace for the agent once a second; each time a few more clients knock on the full listener. */
    private static void feed(
            Fleet.Agent agent,
            NodeScanner scanner,
            NamespaceExecutor executor,
            NetNamespace netns,
            List<SocketChannel> clients) {
        try {
            while (!Thread.currentThread().isInterrupted()) {
                executor.call(netns, () -> {
                    for (int i = 0; i < 2; i++) {
                        SocketChannel c = SocketChannel.open();
                        c.configureBlocking(false);
                        c.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), 9301));
                        clients.add(c);
                    }
                    return null;
                });
                agent.scan.set(scanner.scan(ScanScope.HOST, Set.of()));
                Thread.sleep(1000);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The cluster agent's and the operator's registries on the namespace's loopback (bound on a thread inside it). */
    private static HttpServer serve(Fleet fleet, Fleet.Agent agent) throws IOException {
        HttpServer server =
                HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), FLEET_METRICS), 0);
        server.createContext("/agent/metrics", x -> reply(x, agent.registry.scrape()));
        server.createContext("/operator/metrics", x -> reply(x, fleet.operatorMetrics.scrape()));
        server.start();
        return server;
    }

    private static void reply(com.sun.net.httpserver.HttpExchange x, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        x.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
        x.sendResponseHeaders(200, bytes.length);
        try (OutputStream out = x.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static Process startPlainHostAgent(TestNetns ns, Path tmp) throws IOException {
        Path policy = tmp.resolve("plain.yaml");
        Files.writeString(policy, """
                apiVersion: tcphealth.io/v1alpha1
                kind: TcpHealthPolicy
                metadata:
                  name: plain-host
                spec:
                  interval: 5s
                  thresholds:
                    stalledRetransmits: 2
                    stuckAfter: 1s
                """);
        Path jar = Path.of(System.getProperty("tcphealth.jar", "../node-agent/target/tcphealth.jar"))
                .toAbsolutePath()
                .normalize();
        String java = ProcessHandle.current().info().command().orElseThrow();
        return new ProcessBuilder(
                        "ip",
                        "netns",
                        "exec",
                        ns.name(),
                        java,
                        "-jar",
                        jar.toString(),
                        "run",
                        "--policy",
                        policy.toString(),
                        "--host-netns",
                        "self",
                        "--journal",
                        tmp.resolve("journal").toString(),
                        "--metrics-port",
                        String.valueOf(PLAIN_AGENT),
                        "-o",
                        "json")
                .redirectErrorStream(true)
                .redirectOutput(tmp.resolve("plain.log").toFile())
                .start();
    }

    private static String config(Path rules) {
        return """
                global:
                  scrape_interval: 1s
                  evaluation_interval: 1s
                rule_files:
                  - %s
                scrape_configs:
                  - job_name: tcphealth-agent
                    metrics_path: /agent/metrics
                    static_configs:
                      - targets: ['127.0.0.1:%d']
                        labels: {node: n1}
                  - job_name: tcphealth-operator
                    metrics_path: /operator/metrics
                    static_configs:
                      - targets: ['127.0.0.1:%d']
                  - job_name: tcphealth-run
                    static_configs:
                      - targets: ['127.0.0.1:%d']
                        labels: {node: plain}
                """.formatted(rules, FLEET_METRICS, FLEET_METRICS, PLAIN_AGENT);
    }

    private static List<String> dashboardQueries() throws IOException {
        List<String> out = new ArrayList<>();
        for (JsonNode panel : new ObjectMapper()
                .readTree(CHART.resolve("dashboards/tcphealth.json").toFile())
                .path("panels")) {
            for (JsonNode target : panel.path("targets")) {
                out.add(target.path("expr").asText());
            }
        }
        assertThat(out).isNotEmpty();
        return out;
    }

    private static Map<String, String> alertExpressions() throws IOException {
        Map<String, String> out = new java.util.LinkedHashMap<>();
        JsonNode rules = new ObjectMapper(new YAMLFactory())
                .readTree(CHART.resolve("alerts/tcphealth-rules.yaml").toFile());
        for (JsonNode group : rules.path("groups")) {
            for (JsonNode rule : group.path("rules")) {
                out.put(rule.path("alert").asText(), rule.path("expr").asText());
            }
        }
        assertThat(out.keySet()).containsAll(FAILURE_ALERTS);
        return out;
    }

    /** A plain GET on the calling thread, so the connection is made in that thread's network namespace. */
    private static String get(URI uri) throws IOException {
        HttpURLConnection c = (HttpURLConnection) uri.toURL().openConnection(Proxy.NO_PROXY);
        c.setConnectTimeout(5000);
        c.setReadTimeout(15000);
        try {
            int code = c.getResponseCode();
            byte[] body = (code < 400 ? c.getInputStream() : c.getErrorStream()).readAllBytes();
            if (code != 200) {
                throw new IOException("GET " + uri + ": " + code + " " + new String(body, StandardCharsets.UTF_8));
            }
            return new String(body, StandardCharsets.UTF_8);
        } finally {
            c.disconnect();
        }
    }

    private static void promtoolCheckMetrics(String what, String scrape) throws Exception {
        Process p = new ProcessBuilder("promtool", "check", "metrics")
                .redirectErrorStream(true)
                .start();
        try (OutputStream in = p.getOutputStream()) {
            in.write(scrape.getBytes(StandardCharsets.UTF_8));
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue())
                .as("promtool check metrics on %s:%n%s", what, out)
                .isZero();
    }
}
