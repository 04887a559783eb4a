package io.tcphealth.apitest;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * etcd and kube-apiserver (and, when asked, kube-controller-manager for the garbage collector) as processes on
 * loopback, on free ports, in a temporary directory that {@link #close()} removes with the processes. The API
 * server generates its own serving certificate; clients trust it through {@link #caFile()}. The admin is a
 * static token in group {@code system:masters}; everything else gets service-account tokens.
 */
final class ControlPlane implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);

    private final ControlPlaneBinaries binaries;
    private final Path dir;
    private final Path logs;
    private final int etcdPort;
    private final int apiPort;
    private final String adminToken;
    private final List<String> apiServerCommand;
    private LocalProcess etcd;
    private LocalProcess apiServer;
    private LocalProcess controllerManager;
    private KubernetesClient admin;

    private ControlPlane(ControlPlaneBinaries binaries, Path dir, Path logs) throws IOException {
        this.binaries = binaries;
        this.dir = dir;
        this.logs = logs;
        this.etcdPort = freePort();
        this.apiPort = freePort();
        this.adminToken = HexFormat.of().formatHex(randomBytes(24));
        Files.writeString(
                dir.resolve("tokens.csv"),
                adminToken + ",tcphealth-test-admin,tcphealth-test-admin,\"system:masters\"\n");
        writeServiceAccountKey(dir.resolve("service-account.key"));
        this.apiServerCommand = List.of(
                binaries.binary("kube-apiserver").toString(),
                "--etcd-servers=http://127.0.0.1:" + etcdPort,
                "--bind-address=127.0.0.1",
                // No default route on some machines: without it the server cannot pick its own address.
                "--advertise-address=127.0.0.1",
                "--secure-port=" + apiPort,
                "--cert-dir=" + dir.resolve("certs"),
                "--token-auth-file=" + dir.resolve("tokens.csv"),
                "--authorization-mode=RBAC",
                "--service-account-issuer=https://kubernetes.default.svc.cluster.local",
                "--service-account-key-file=" + dir.resolve("service-account.key"),
                "--service-account-signing-key-file=" + dir.resolve("service-account.key"),
                "--service-cluster-ip-range=10.0.0.0/24",
                "--allow-privileged=true",
                "--profiling=false");
    }

    /** Starts etcd and the API server, and waits until the API server is ready. */
    static ControlPlane start(ControlPlaneBinaries binaries, String name) {
        Path dir = null;
        try {
            dir = Files.createTempDirectory("tcphealth-control-plane-");
            Path logs = logRoot().resolve(name + "-" + Instant.now().toString().replace(':', '-'));
            ControlPlane plane = new ControlPlane(binaries, dir, logs);
            try {
                plane.startEtcd();
                plane.startApiServer();
                return plane;
            } catch (RuntimeException e) {
                plane.close();
                throw e;
            }
        } catch (IOException e) {
            if (dir != null) {
                deleteTree(dir);
            }
            throw new UncheckedIOException("Cannot prepare a control plane", e);
        }
    }

    private void startEtcd() {
        int peerPort = freePort();
        etcd = LocalProcess.start(
                "etcd",
                logs.resolve("etcd.log"),
                List.of(
                        binaries.binary("etcd").toString(),
                        "--name=tcphealth-test",
                        "--data-dir=" + dir.resolve("etcd"),
                        "--listen-client-urls=http://127.0.0.1:" + etcdPort,
                        "--advertise-client-urls=http://127.0.0.1:" + etcdPort,
                        "--listen-peer-urls=http://127.0.0.1:" + peerPort,
                        "--initial-advertise-peer-urls=http://127.0.0.1:" + peerPort,
                        "--initial-cluster=tcphealth-test=http://127.0.0.1:" + peerPort,
                        "--log-level=warn"),
                Map.of());
        HttpClient http =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        waitFor("etcd", etcd, () -> {
            try {
                return http.send(
                                HttpRequest.newBuilder(URI.create(etcdUrl() + "/health"))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString())
                        .body()
                        .contains("\"health\":\"true\"");
            } catch (IOException e) {
                return false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        });
    }

    /** Starts (or starts again, after {@link #stopApiServer()}) the API server on the same port and certificates. */
    void startApiServer() {
        apiServer =
                LocalProcess.start("kube-apiserver", logs.resolve("kube-apiserver.log"), apiServerCommand, Map.of());
        waitFor("kube-apiserver", apiServer, () -> Files.exists(caFile()));
        if (admin == null) {
            admin = client(adminToken);
        }
        waitFor("kube-apiserver", apiServer, () -> {
            try {
                return "ok".equals(admin.raw("/readyz"));
            } catch (RuntimeException e) {
                return false;
            }
        });
    }

    /** Stops the API server (SIGTERM); etcd keeps the cluster's state. */
    void stopApiServer() {
        apiServer.close();
    }

    /** Starts kube-controller-manager with the garbage collector only (owner references), as the admin. */
    void startGarbageCollector() {
        if (controllerManager != null && controllerManager.alive()) {
            return;
        }
        Path kubeconfig = kubeconfig("controller-manager", adminToken);
        controllerManager = LocalProcess.start(
                "kube-controller-manager",
                logs.resolve("kube-controller-manager.log"),
                List.of(
                        binaries.binary("kube-controller-manager").toString(),
                        "--kubeconfig=" + kubeconfig,
                        "--authentication-kubeconfig=" + kubeconfig,
                        "--authorization-kubeconfig=" + kubeconfig,
                        "--controllers=garbagecollector",
                        "--leader-elect=false",
                        "--bind-address=127.0.0.1",
                        "--secure-port=" + freePort(),
                        "--profiling=false"),
                Map.of());
    }

    private void waitFor(String what, LocalProcess process, java.util.function.BooleanSupplier ready) {
        Instant deadline = Instant.now().plus(START_TIMEOUT);
        while (!ready.getAsBoolean()) {
            if (!process.alive()) {
                throw new IllegalStateException(what + " exited while starting:\n" + process.tail(40));
            }
            if (Instant.now().isAfter(deadline)) {
                throw new IllegalStateException(
                        what + " not ready within " + START_TIMEOUT.toSeconds() + "s:\n" + process.tail(40));
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while waiting for " + what, e);
            }
        }
    }

    String url() {
        return "https://127.0.0.1:" + apiPort;
    }

    String etcdUrl() {
        return "http://127.0.0.1:" + etcdPort;
    }

    /** The API server's self-signed serving certificate and its CA. */
    Path caFile() {
        return dir.resolve("certs/apiserver.crt");
    }

    Path dir() {
        return dir;
    }

    Path logs() {
        return logs;
    }

    ControlPlaneBinaries binaries() {
        return binaries;
    }

    KubernetesClient admin() {
        return admin;
    }

    String adminToken() {
        return adminToken;
    }

    /** A client authenticated by a bearer token, trusting only the API server's own certificate. */
    KubernetesClient client(String token) {
        return new KubernetesClientBuilder().withConfig(config(token)).build();
    }

    Config config(String token) {
        return new ConfigBuilder(Config.empty())
                .withMasterUrl(url())
                .withCaCertFile(caFile().toString())
                .withOauthToken(token)
                .withNamespace("default")
                .build();
    }

    /** A kubeconfig file for this user, as kubectl, the operator and the agents read it. */
    Path kubeconfig(String user, String token) {
        Path file = dir.resolve("kubeconfig-" + user);
        try {
            Files.writeString(file, """
          apiVersion: v1
          kind: Config
          clusters: [{name: test, cluster: {server: "%s", certificate-authority: "%s"}}]
          users: [{name: "%s", user: {token: "%s"}}]
          contexts: [{name: test, context: {cluster: test, user: "%s", namespace: default}}]
          current-context: test
          """.formatted(url(), caFile(), user, token, user));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    Kubectl kubectl() {
        return new Kubectl(binaries.binary("kubectl"), kubeconfig("admin", adminToken), dir);
    }

    /** etcd's database size ({@code etcd_mvcc_db_total_size_in_bytes}). */
    long etcdDatabaseBytes() {
        return (long) etcdMetric("etcd_mvcc_db_total_size_in_use_in_bytes");
    }

    double etcdMetric(String name) {
        try {
            String text = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(URI.create(etcdUrl() + "/metrics"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString())
                    .body();
            Matcher m =
                    Pattern.compile("(?m)^" + Pattern.quote(name) + " (\\S+)$").matcher(text);
            if (!m.find()) {
                throw new IllegalStateException("etcd reports no " + name);
            }
            return Double.parseDouble(m.group(1));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        if (admin != null) {
            admin.close();
        }
        for (LocalProcess p : new LocalProcess[] {controllerManager, apiServer, etcd}) {
            if (p != null) {
                p.close();
            }
        }
        deleteTree(dir);
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        ThreadLocalRandom.current().nextBytes(b);
        return b;
    }

    private static void writeServiceAccountKey(Path file) throws IOException {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            byte[] pkcs8 = generator.generateKeyPair().getPrivate().getEncoded();
            String pem = "-----BEGIN PRIVATE KEY-----\n"
                    + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                            .encodeToString(pkcs8)
                    + "\n-----END PRIVATE KEY-----\n";
            Files.writeString(file, pem);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            List<Path> all =
                    new ArrayList<>(paths.sorted(Comparator.reverseOrder()).toList());
            for (Path p : all) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            System.err.println("Could not remove " + root + ": " + e.getMessage());
        }
    }

    /** Where the control plane's, the operator's and the agents' logs are kept for reading after a run. */
    private static Path logRoot() {
        return Path.of(System.getProperty("tcphealth.logs", "target/api-test-logs"))
                .toAbsolutePath();
    }
}
