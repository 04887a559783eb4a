package io.tcphealth.apitest;

import io.tcphealth.testsupport.ProjectFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import org.opentest4j.TestAbortedException;

/**
 * The folder holding etcd, kube-apiserver, kube-controller-manager and kubectl, as {@code control-plane/build.sh}
 * prints it: {@code -Dtcphealth.controlPlane} or {@code TCPHEALTH_CONTROL_PLANE} when given, else the build's
 * cache for the versions pinned in {@code control-plane/versions.env}. Missing binaries fail the tests in CI
 * ({@code CI=true}) and skip them, with the command that builds them, elsewhere.
 */
record ControlPlaneBinaries(Path dir, String kubernetesVersion) {

    static final List<String> NEEDED = List.of("etcd", "kube-apiserver", "kube-controller-manager", "kubectl");

    static ControlPlaneBinaries locate() {
        String version = pinnedVersion();
        String given = System.getProperty("tcphealth.controlPlane");
        if (given == null || given.isBlank() || given.startsWith("${")) {
            given = System.getenv("TCPHEALTH_CONTROL_PLANE");
        }
        Path dir;
        if (given != null && !given.isBlank()) {
            dir = Path.of(given);
        } else {
            String cache = System.getenv("KUBE_API_TEST_DIR");
            Path root = cache == null || cache.isBlank()
                    ? Path.of(System.getProperty("user.home"), ".kubeapitest")
                    : Path.of(cache);
            dir = root.resolve("k8s").resolve(version + "-linux-amd64");
        }
        List<String> missing =
                NEEDED.stream().filter(b -> !Files.isExecutable(dir.resolve(b))).toList();
        if (!missing.isEmpty()) {
            String message = "The real-API-server tests need " + String.join(", ", missing) + " (Kubernetes " + version
                    + ") in " + dir
                    + ". Build them with `make control-plane` (needs Go 1.24+ and the Go module proxy; the first"
                    + " build takes about 10 minutes, later runs reuse the cache), or point -Dtcphealth.controlPlane at the folder"
                    + " `control-plane/build.sh` prints.";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                throw new IllegalStateException(message);
            }
            throw new TestAbortedException(message);
        }
        return new ControlPlaneBinaries(dir, version);
    }

    Path binary(String name) {
        return dir.resolve(name);
    }

    private static String pinnedVersion() {
        Path file = ProjectFiles.file("control-plane/versions.env");
        Properties p = new Properties();
        try (var in = Files.newBufferedReader(file)) {
            p.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file, e);
        }
        return p.getProperty("KUBERNETES_VERSION").trim();
    }
}
