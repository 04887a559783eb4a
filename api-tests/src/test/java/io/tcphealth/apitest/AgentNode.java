package io.tcphealth.apitest;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.tcphealth.testsupport.ProjectFiles;
import io.tcphealth.testsupport.TestNetns;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One simulated node: a network namespace standing in for its host network, a Pod object made from the
 * operator's agent DaemonSet (so Pod Security admission checks it) placed on the Node, and the agent jar run as
 * that pod would run it ({@code run} plus the DaemonSet's environment) with a token bound to the pod. Host paths
 * become a temporary directory: the journal, and a global sysctl root holding {@code tcp_max_orphans}.
 */
final class AgentNode implements AutoCloseable {

    private final String node;
    private final TestNetns netns;
    private final Pod pod;
    private final String token;
    private final Path dir;
    private final ControlPlane plane;
    private final Map<String, String> env;
    private final List<String> command;
    private LocalProcess process;

    private AgentNode(
            ControlPlane plane,
            String node,
            TestNetns netns,
            Pod pod,
            String token,
            Path dir,
            Map<String, String> env,
            List<String> command) {
        this.plane = plane;
        this.node = node;
        this.netns = netns;
        this.pod = pod;
        this.token = token;
        this.dir = dir;
        this.env = env;
        this.command = command;
    }

    static AgentNode start(ControlPlane plane, DaemonSet daemonSet, String node) {
        TestNetns netns;
        try {
            netns = TestNetns.create();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            Path dir = Files.createTempDirectory(plane.dir(), "agent-" + node);
            Path sys = dir.resolve("sys");
            Files.createDirectories(sys.resolve("net/ipv4"));
            Files.writeString(sys.resolve("net/ipv4/tcp_max_orphans"), "65536\n");
            Pod pod = Identities.pod(
                    plane.admin(),
                    InstalledChart.AGENT_NAMESPACE,
                    "tcphealth-agent-" + node,
                    daemonSet.getSpec().getTemplate(),
                    node);
            String token = Identities.tokenFor(plane.admin(), pod);
            Container container =
                    daemonSet.getSpec().getTemplate().getSpec().getContainers().get(0);
            Map<String, String> env = new HashMap<>();
            for (EnvVar var : container.getEnv()) {
                if (var.getValue() != null) {
                    env.put(var.getName(), var.getValue());
                }
            }
            env.put("NODE_NAME", node);
            env.put("POD_NAMESPACE", InstalledChart.AGENT_NAMESPACE);
            env.put("TCPHEALTH_PROC_ROOT", "/proc");
            env.put("TCPHEALTH_CGROUP_ROOT", "/sys/fs/cgroup");
            env.put("TCPHEALTH_JOURNAL_DIR", dir.resolve("journal").toString());
            // In the pod TCPHEALTH_SYSCTL_ROOT is the node's /proc/sys mounted writable; a local process writes its
            // namespace's keys through its own /proc/sys, and the machine-wide ones only under the temporary root.
            env.remove("TCPHEALTH_SYSCTL_ROOT");
            env.put("TCPHEALTH_METRICS_PORT", "0");
            env.put("KUBECONFIG", plane.kubeconfig("agent-" + node, token).toString());
            String java = ProcessHandle.current().info().command().orElse("java");
            List<String> command = new ArrayList<>(List.of(
                    java,
                    "--enable-native-access=ALL-UNNAMED",
                    "-jar",
                    ProjectFiles.jar("tcphealth.agentJar", "node-agent/target/tcphealth.jar")
                            .toString()));
            command.addAll(container.getArgs());
            // Outside a pod: cluster mode is asked for, and the node's "host" namespace is the one made for it.
            command.addAll(
                    List.of("--cluster", "--host-netns", netns.path().toString(), "--sysctl-root", sys.toString()));
            AgentNode agent = new AgentNode(plane, node, netns, pod, token, dir, env, command);
            agent.startProcess();
            return agent;
        } catch (IOException | RuntimeException e) {
            netns.close();
            if (e instanceof IOException io) {
                throw new UncheckedIOException(io);
            }
            throw (RuntimeException) e;
        }
    }

    /** Starts the agent process (again, after {@link #stopProcess()}). */
    void startProcess() {
        process = LocalProcess.start("agent-" + node, plane.logs().resolve("agent-" + node + ".log"), command, env);
    }

    int stopProcess() {
        return process.stop(25);
    }

    String node() {
        return node;
    }

    TestNetns netns() {
        return netns;
    }

    Pod pod() {
        return pod;
    }

    String token() {
        return token;
    }

    LocalProcess process() {
        return process;
    }

    @Override
    public void close() {
        if (process != null) {
            process.close();
        }
        netns.close();
    }
}
