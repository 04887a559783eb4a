package io.tcphealth.agent.cluster;

import io.tcphealth.api.v1alpha1.GoDuration;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * How the agent runs in a pod, from the environment the operator's DaemonSet sets: {@code NODE_NAME} (downward
 * API), {@code TCPHEALTH_PROC_ROOT} (else {@code /host/proc} when the host's /proc is mounted there, else
 * {@code /proc}), {@code TCPHEALTH_SYSCTL_ROOT}, {@code TCPHEALTH_JOURNAL_DIR}, {@code TCPHEALTH_METRICS_PORT},
 * {@code TCPHEALTH_HEARTBEAT}, {@code TCPHEALTH_EVENT_NAMESPACE}. Pure: the environment and the file check
 * are given.
 *
 * @param sysctlRoot           where host-wide sysctls are written, or null for {@code <procRoot>/sys}
 * @param namespacedSysctlRoot where per-namespace sysctls are read and written: {@code TCPHEALTH_SYSCTL_ROOT}, the
 *                             DaemonSet's writable mount of the host's /proc/sys (the /proc mount is read-only, and a
 *                             net sysctl file resolves against the namespace of the thread that opens it, so one
 *                             mount serves every namespace); else {@code <procRoot>/sys}
 * @param eventNamespace       where Events about the cluster-scoped TcpHealthNode go
 */
public record ClusterSettings(
        String node,
        Path procRoot,
        Path sysctlRoot,
        Path namespacedSysctlRoot,
        Path journalDir,
        int metricsPort,
        Duration heartbeat,
        String eventNamespace) {

    public static final Path HOST_PROC = Path.of("/host/proc");
    public static final int DEFAULT_METRICS_PORT = 9464;
    public static final Duration DEFAULT_HEARTBEAT = Duration.ofMinutes(5);

    /** Whether this looks like a pod the agent DaemonSet started: a node name and in-cluster credentials. */
    public static boolean inCluster(Map<String, String> env, Predicate<Path> exists) {
        return present(env.get("NODE_NAME"))
                && (present(env.get("KUBERNETES_SERVICE_HOST"))
                        || exists.test(Path.of("/var/run/secrets/kubernetes.io/serviceaccount/token")));
    }

    /**
     * @param nodeOption     {@code --node}, or null
     * @param procRootOption {@code --proc-root} when given, or null
     * @throws IllegalArgumentException naming every variable that is missing or wrong
     */
    public static ClusterSettings from(
            Map<String, String> env,
            Predicate<Path> exists,
            String nodeOption,
            Path procRootOption,
            Path sysctlRootOption,
            Path journalOption,
            Integer metricsPortOption) {
        List<String> problems = new ArrayList<>();
        String node = present(nodeOption) ? nodeOption : env.get("NODE_NAME");
        if (!present(node)) {
            problems.add("NODE_NAME: not set (the DaemonSet sets it from spec.nodeName) and no --node given");
        }
        Path procRoot = procRootOption != null
                ? procRootOption
                : present(env.get("TCPHEALTH_PROC_ROOT"))
                        ? Path.of(env.get("TCPHEALTH_PROC_ROOT"))
                        : exists.test(HOST_PROC.resolve("1")) ? HOST_PROC : Path.of("/proc");
        Path mountedSysctls =
                present(env.get("TCPHEALTH_SYSCTL_ROOT")) ? Path.of(env.get("TCPHEALTH_SYSCTL_ROOT")) : null;
        Path sysctlRoot = sysctlRootOption != null ? sysctlRootOption : mountedSysctls;
        Path namespacedSysctlRoot = mountedSysctls != null ? mountedSysctls : procRoot.resolve("sys");
        Path journal = journalOption != null
                ? journalOption
                : Path.of(
                        present(env.get("TCPHEALTH_JOURNAL_DIR"))
                                ? env.get("TCPHEALTH_JOURNAL_DIR")
                                : "/var/lib/tcphealth/journal");
        int port = DEFAULT_METRICS_PORT;
        if (metricsPortOption != null) {
            port = metricsPortOption;
        } else if (present(env.get("TCPHEALTH_METRICS_PORT"))) {
            try {
                port = Integer.parseInt(env.get("TCPHEALTH_METRICS_PORT").trim());
            } catch (NumberFormatException e) {
                problems.add(
                        "TCPHEALTH_METRICS_PORT: '" + env.get("TCPHEALTH_METRICS_PORT") + "' is not a port number");
            }
        }
        if (port < 0 || port > 65535) {
            problems.add("metrics port " + port + ": must be 0-65535");
        }
        Duration heartbeat = DEFAULT_HEARTBEAT;
        if (present(env.get("TCPHEALTH_HEARTBEAT"))) {
            try {
                heartbeat = GoDuration.parse(env.get("TCPHEALTH_HEARTBEAT").trim());
                if (heartbeat.compareTo(Duration.ofSeconds(10)) < 0) {
                    problems.add("TCPHEALTH_HEARTBEAT: at least 10s");
                }
            } catch (IllegalArgumentException e) {
                problems.add(
                        "TCPHEALTH_HEARTBEAT: '" + env.get("TCPHEALTH_HEARTBEAT") + "' is not a duration such as 5m");
            }
        }
        String events =
                present(env.get("TCPHEALTH_EVENT_NAMESPACE")) ? env.get("TCPHEALTH_EVENT_NAMESPACE") : "default";
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems));
        }
        return new ClusterSettings(node, procRoot, sysctlRoot, namespacedSysctlRoot, journal, port, heartbeat, events);
    }

    public static Predicate<Path> fileSystem() {
        return Files::exists;
    }

    private static boolean present(String s) {
        return s != null && !s.isBlank();
    }
}
