package io.tcphealth.operator.agent;

import io.fabric8.kubernetes.api.model.Capabilities;
import io.fabric8.kubernetes.api.model.CapabilitiesBuilder;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.DaemonSetBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The one agent DaemonSet that serves every policy, as a pure function of the policies' demands and the
 * operator's settings.
 */
public final class AgentDaemonSet {

    public static final String NAME = "tcphealth-agent";
    /** Hash of the desired spec; the operator updates the DaemonSet only when it changes. */
    public static final String SPEC_HASH_ANNOTATION = "tcphealth.io/spec-hash";

    public static final String PROC_MOUNT = "/host/proc";
    public static final String SYSCTL_MOUNT = "/host/proc-sys";
    public static final String CGROUP_MOUNT = "/host/sys/fs/cgroup";
    public static final String JOURNAL_MOUNT = "/var/lib/tcphealth/journal";
    public static final String LIVENESS_PATH = "/livez";
    public static final String READINESS_PATH = "/readyz";

    private static final Map<String, String> SELECTOR_LABELS = Map.of(
            "app.kubernetes.io/name", "tcphealth-agent",
            "app.kubernetes.io/instance", "tcphealth");

    private AgentDaemonSet() {}

    /**
     * The desired DaemonSet, or empty when no policy needs an agent anywhere and no node still holds changes.
     *
     * @param demands one per active policy
     * @param drainingNodes nodes no policy selects any more whose agent has not yet restored what it changed
     * @param podNamespaceRestores whether some agent still holds sysctls it set inside pod network namespaces:
     *     putting them back needs setns, so SYS_ADMIN stays until the agents report them restored
     */
    public static Optional<DaemonSet> desired(
            Collection<AgentDemand> demands,
            Collection<String> drainingNodes,
            boolean podNamespaceRestores,
            AgentSettings settings) {
        if (demands.isEmpty() && drainingNodes.isEmpty()) {
            return Optional.empty();
        }
        List<LabelSelector> selectors =
                demands.stream().map(AgentDemand::nodeSelector).toList();
        boolean allNamespaces = podNamespaceRestores || demands.stream().anyMatch(AgentDemand::allNamespaces);

        Map<String, String> labels = new LinkedHashMap<>(SELECTOR_LABELS);
        labels.put("app.kubernetes.io/component", "agent");
        labels.put("app.kubernetes.io/managed-by", "tcphealth-operator");

        DaemonSet daemonSet = new DaemonSetBuilder()
                .withNewMetadata()
                .withName(NAME)
                .withNamespace(settings.namespace())
                .withLabels(labels)
                .endMetadata()
                .withNewSpec()
                .withNewSelector()
                .withMatchLabels(SELECTOR_LABELS)
                .endSelector()
                .withNewUpdateStrategy()
                .withType("RollingUpdate")
                .withNewRollingUpdate()
                .withMaxUnavailable(new IntOrString("10%"))
                .endRollingUpdate()
                .endUpdateStrategy()
                .withNewTemplate()
                .withNewMetadata()
                .withLabels(labels)
                .endMetadata()
                .withNewSpec()
                // hostPID: PID 1's network namespace is the host's, and owners are found through /proc/<pid>/fd.
                .withHostPID(true)
                // hostNetwork: the agent's own sockets and sysctl view are the host's.
                .withHostNetwork(true)
                .withDnsPolicy("ClusterFirstWithHostNet")
                .withServiceAccountName(settings.serviceAccount())
                .withPriorityClassName(settings.priorityClassName())
                .withTolerations(settings.tolerations())
                // Long enough for the agent to undo a transient change (the orphan pulse) on its way out.
                .withTerminationGracePeriodSeconds(30L)
                .withAffinity(AgentAffinity.of(selectors, drainingNodes).orElse(null))
                .withNewSecurityContext()
                .withNewSeccompProfile()
                .withType("RuntimeDefault")
                .endSeccompProfile()
                .endSecurityContext()
                .withContainers(container(settings, allNamespaces))
                .withVolumes(volumes(settings))
                .endSpec()
                .endTemplate()
                .endSpec()
                .build();
        daemonSet.getMetadata().setAnnotations(Map.of(SPEC_HASH_ANNOTATION, specHash(daemonSet)));
        return Optional.of(daemonSet);
    }

    /**
     * Capabilities the agent gets, each for one reason. Everything else is dropped; the container is not
     * privileged.
     *
     * <p>NET_ADMIN and KILL are granted even when every policy only observes: an agent must be able to undo
     * what it changed at any moment (a policy switched from Enforce to Observe, deleted, or no longer selecting
     * the node), and taking them away would also restart every agent whenever a mode changes. The agent itself
     * refuses to change anything unless its effective mode is Enforce.
     */
    static Capabilities capabilities(boolean allNamespaces) {
        List<String> add = new ArrayList<>();
        // Reading another user's /proc/<pid>/fd links (socket inode -> owner) passes the kernel's ptrace access
        // check only with SYS_PTRACE; listing those directories needs DAC_READ_SEARCH.
        add.add("DAC_READ_SEARCH");
        add.add("SYS_PTRACE");
        // SOCK_DESTROY over inet_diag and writes to net.* sysctls are checked against NET_ADMIN.
        add.add("NET_ADMIN");
        // SIGCHLD to a zombie's parent owned by another user.
        add.add("KILL");
        if (allNamespaces) {
            // setns(CLONE_NEWNET) into a pod's network namespace requires SYS_ADMIN; nothing else here needs it,
            // so it is granted only while some policy scans pod namespaces.
            add.add("SYS_ADMIN");
        }
        return new CapabilitiesBuilder().withDrop("ALL").withAdd(add).build();
    }

    private static Container container(AgentSettings settings, boolean allNamespaces) {
        List<VolumeMount> mounts = new ArrayList<>();
        mounts.add(mount("host-proc", PROC_MOUNT, true));
        mounts.add(mount("host-cgroup", CGROUP_MOUNT, true));
        mounts.add(mount("journal", JOURNAL_MOUNT, false));
        mounts.add(mount("tmp", "/tmp", false));
        List<EnvVar> env = new ArrayList<>();
        env.add(new EnvVarBuilder()
                .withName("NODE_NAME")
                .withNewValueFrom()
                .withNewFieldRef()
                .withFieldPath("spec.nodeName")
                .endFieldRef()
                .endValueFrom()
                .build());
        env.add(new EnvVarBuilder()
                .withName("POD_NAMESPACE")
                .withNewValueFrom()
                .withNewFieldRef()
                .withFieldPath("metadata.namespace")
                .endFieldRef()
                .endValueFrom()
                .build());
        env.add(new EnvVar("TCPHEALTH_PROC_ROOT", PROC_MOUNT, null));
        env.add(new EnvVar("TCPHEALTH_CGROUP_ROOT", CGROUP_MOUNT, null));
        env.add(new EnvVar("TCPHEALTH_JOURNAL_DIR", JOURNAL_MOUNT, null));
        env.add(new EnvVar("TCPHEALTH_METRICS_PORT", Integer.toString(settings.metricsPort()), null));
        env.add(new EnvVar("TCPHEALTH_HEARTBEAT", settings.heartbeat().toSeconds() + "s", null));
        env.add(new EnvVar("TCPHEALTH_EVENT_NAMESPACE", settings.eventNamespace(), null));
        if (settings.javaOptions() != null && !settings.javaOptions().isBlank()) {
            // The java launcher reads JDK_JAVA_OPTIONS after the image's own argument file, so these win.
            env.add(new EnvVar("JDK_JAVA_OPTIONS", settings.javaOptions().trim(), null));
        }
        // Container runtimes mount the container's own /proc/sys read-only; sysctl writes (and the restores
        // from the journal) go through a separate mount of the host's /proc/sys. Net sysctls resolve against the
        // network namespace of the thread that opens them, so the same mount serves pod namespaces after setns.
        mounts.add(mount("host-proc-sys", SYSCTL_MOUNT, false));
        env.add(new EnvVar("TCPHEALTH_SYSCTL_ROOT", SYSCTL_MOUNT, null));
        return new ContainerBuilder()
                .withName("agent")
                .withImage(settings.image())
                .withImagePullPolicy(settings.pullPolicy())
                .withArgs(settings.args())
                .withEnv(env)
                .addNewPort()
                .withName("metrics")
                .withContainerPort(settings.metricsPort())
                .withProtocol("TCP")
                .endPort()
                .withResources(settings.resources())
                .withLivenessProbe(probe(LIVENESS_PATH, settings.metricsPort(), 20, 6))
                .withReadinessProbe(probe(READINESS_PATH, settings.metricsPort(), 5, 3))
                .withNewSecurityContext()
                .withRunAsUser(0L)
                .withRunAsNonRoot(false)
                .withPrivileged(false)
                .withAllowPrivilegeEscalation(false)
                .withReadOnlyRootFilesystem(true)
                .withCapabilities(capabilities(allNamespaces))
                .endSecurityContext()
                .withVolumeMounts(mounts)
                .build();
    }

    private static Probe probe(String path, int port, int periodSeconds, int failureThreshold) {
        return new ProbeBuilder()
                .withNewHttpGet()
                .withPath(path)
                .withPort(new IntOrString("metrics"))
                .endHttpGet()
                .withPeriodSeconds(periodSeconds)
                .withTimeoutSeconds(5)
                .withFailureThreshold(failureThreshold)
                .build();
    }

    private static List<Volume> volumes(AgentSettings settings) {
        List<Volume> volumes = new ArrayList<>();
        volumes.add(hostPath("host-proc", "/proc", "Directory"));
        volumes.add(hostPath("host-cgroup", "/sys/fs/cgroup", "Directory"));
        volumes.add(hostPath("journal", settings.journalHostPath(), "DirectoryOrCreate"));
        volumes.add(new VolumeBuilder()
                .withName("tmp")
                .withNewEmptyDir()
                .endEmptyDir()
                .build());
        volumes.add(hostPath("host-proc-sys", "/proc/sys", "Directory"));
        return volumes;
    }

    private static Volume hostPath(String name, String path, String type) {
        return new VolumeBuilder()
                .withName(name)
                .withNewHostPath()
                .withPath(path)
                .withType(type)
                .endHostPath()
                .build();
    }

    private static VolumeMount mount(String name, String path, boolean readOnly) {
        return new VolumeMountBuilder()
                .withName(name)
                .withMountPath(path)
                .withReadOnly(readOnly)
                .build();
    }

    /**
     * The parts of a DaemonSet that decide where the agent runs and what it may do: image, arguments,
     * security contexts, host namespaces, host paths, affinity and tolerations. The API server defaults none
     * of them, so a desired and a live DaemonSet agree here unless someone changed the live one.
     */
    public static String fingerprint(DaemonSet daemonSet) {
        if (daemonSet.getSpec() == null
                || daemonSet.getSpec().getTemplate() == null
                || daemonSet.getSpec().getTemplate().getSpec() == null) {
            return "";
        }
        var pod = daemonSet.getSpec().getTemplate().getSpec();
        StringBuilder out = new StringBuilder()
                .append(pod.getHostPID())
                .append('|')
                .append(pod.getHostNetwork())
                .append('|')
                .append(Serialization.asJson(pod.getAffinity()))
                .append('|')
                .append(Serialization.asJson(pod.getTolerations()))
                .append('|');
        for (Container container : pod.getContainers()) {
            out.append(container.getImage())
                    .append('|')
                    .append(container.getArgs())
                    .append('|')
                    .append(Serialization.asJson(container.getSecurityContext()))
                    .append('|');
        }
        if (pod.getVolumes() != null) {
            pod.getVolumes().stream()
                    .filter(v -> v.getHostPath() != null)
                    .forEach(v -> out.append(v.getName())
                            .append('=')
                            .append(v.getHostPath().getPath())
                            .append('|'));
        }
        return out.toString();
    }

    /** SHA-256 of the spec and labels as JSON; the API server's defaults never enter it. */
    static String specHash(DaemonSet daemonSet) {
        String json = Serialization.asJson(daemonSet.getSpec())
                + Serialization.asJson(daemonSet.getMetadata().getLabels());
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(json.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 missing from the JDK", e);
        }
    }
}
