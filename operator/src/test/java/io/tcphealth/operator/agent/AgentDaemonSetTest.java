package io.tcphealth.operator.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirement;
import io.fabric8.kubernetes.api.model.NodeSelectorTerm;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AgentDaemonSetTest {

    private static final AgentSettings SETTINGS = new AgentSettings(
            "tcphealth-system",
            "registry.example/tcphealth-agent:1.2.3",
            "IfNotPresent",
            List.of("run"),
            "tcphealth-agent",
            new ResourceRequirementsBuilder()
                    .withRequests(Map.of("cpu", new Quantity("50m"), "memory", new Quantity("192Mi")))
                    .withLimits(Map.of("cpu", new Quantity("1"), "memory", new Quantity("384Mi")))
                    .build(),
            List.of(new Toleration("NoSchedule", "dedicated", "Equal", null, "checkout")),
            "system-node-critical",
            9464,
            "/var/lib/tcphealth/journal",
            Duration.ofMinutes(5),
            "default",
            "-Xmx48m");

    @Test
    void noPolicyAndNoNodeToDrainMeansNoDaemonSet() {
        assertThat(AgentDaemonSet.desired(List.of(), List.of(), false, SETTINGS))
                .isEmpty();
    }

    @Test
    void affinityIsTheUnionOfThePoliciesSelectors() {
        DaemonSet ds = AgentDaemonSet.desired(
                        List.of(
                                demand("checkout", pool("checkout"), false),
                                demand(
                                        "batch",
                                        new LabelSelectorBuilder()
                                                .addNewMatchExpression()
                                                .withKey("tier")
                                                .withOperator("NotIn")
                                                .withValues("canary")
                                                .endMatchExpression()
                                                .addToMatchLabels("pool", "batch")
                                                .build(),
                                        false),
                                demand("duplicate", pool("checkout"), false)),
                        List.of(),
                        false,
                        SETTINGS)
                .orElseThrow();

        List<NodeSelectorTerm> terms = terms(ds);
        assertThat(terms).hasSize(2);
        assertThat(terms)
                .anySatisfy(t -> assertThat(t.getMatchExpressions())
                        .containsExactly(new NodeSelectorRequirement("pool", "In", List.of("checkout"))));
        assertThat(terms)
                .anySatisfy(t -> assertThat(t.getMatchExpressions())
                        .containsExactly(
                                new NodeSelectorRequirement("pool", "In", List.of("batch")),
                                new NodeSelectorRequirement("tier", "NotIn", List.of("canary"))));
    }

    @Test
    void aPolicyForEveryNodeRemovesTheAffinity() {
        DaemonSet ds = AgentDaemonSet.desired(
                        List.of(
                                demand("checkout", pool("checkout"), false),
                                demand("everywhere", new LabelSelector(), false)),
                        List.of(),
                        false,
                        SETTINGS)
                .orElseThrow();

        assertThat(ds.getSpec().getTemplate().getSpec().getAffinity()).isNull();
    }

    @Test
    void drainingNodesKeepTheirAgentByName() {
        DaemonSet ds = AgentDaemonSet.desired(
                        List.of(demand("checkout", pool("checkout"), false)), List.of("n9", "n2"), false, SETTINGS)
                .orElseThrow();

        // One node per term: the API server refuses a field selector term naming several nodes.
        assertThat(terms(ds))
                .anySatisfy(t -> assertThat(t.getMatchFields())
                        .containsExactly(new NodeSelectorRequirement("metadata.name", "In", List.of("n2"))));
        assertThat(terms(ds))
                .anySatisfy(t -> assertThat(t.getMatchFields())
                        .containsExactly(new NodeSelectorRequirement("metadata.name", "In", List.of("n9"))));
        assertThat(terms(ds))
                .allSatisfy(t -> assertThat(t.getMatchFields())
                        .allSatisfy(f -> assertThat(f.getValues()).hasSize(1)));
        assertThat(AgentDaemonSet.desired(List.of(), List.of("n2"), false, SETTINGS))
                .isPresent();
    }

    @Test
    void theAgentSeesTheHostThroughReadOnlyMountsWithoutBeingPrivileged() {
        DaemonSet ds = AgentDaemonSet.desired(List.of(demand("p", pool("x"), false)), List.of(), false, SETTINGS)
                .orElseThrow();
        PodSpec pod = ds.getSpec().getTemplate().getSpec();
        Container agent = pod.getContainers().getFirst();

        assertThat(ds.getMetadata().getNamespace()).isEqualTo("tcphealth-system");
        assertThat(pod.getHostPID()).isTrue();
        assertThat(pod.getHostNetwork()).isTrue();
        assertThat(agent.getSecurityContext().getPrivileged()).isFalse();
        assertThat(agent.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
        assertThat(agent.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
        assertThat(agent.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
        assertThat(mount(agent, "/host/proc").getReadOnly()).isTrue();
        assertThat(volume(pod, mount(agent, "/host/proc").getName())
                        .getHostPath()
                        .getPath())
                .isEqualTo("/proc");
        assertThat(mount(agent, "/host/sys/fs/cgroup").getReadOnly()).isTrue();
        assertThat(volume(pod, mount(agent, "/var/lib/tcphealth/journal").getName())
                        .getHostPath()
                        .getPath())
                .isEqualTo("/var/lib/tcphealth/journal");
        assertThat(agent.getEnv()).anySatisfy(e -> {
            assertThat(e.getName()).isEqualTo("NODE_NAME");
            assertThat(e.getValueFrom().getFieldRef().getFieldPath()).isEqualTo("spec.nodeName");
        });
        assertThat(agent.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/livez");
        assertThat(agent.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/readyz");
        assertThat(agent.getLivenessProbe().getHttpGet().getPort().getStrVal()).isEqualTo("metrics");
        assertThat(agent.getPorts())
                .singleElement()
                .satisfies(p -> assertThat(p.getContainerPort()).isEqualTo(9464));
    }

    @Test
    void imageResourcesTolerationsAndPriorityComeFromTheSettings() {
        PodSpec pod = AgentDaemonSet.desired(List.of(demand("p", pool("x"), false)), List.of(), false, SETTINGS)
                .orElseThrow()
                .getSpec()
                .getTemplate()
                .getSpec();
        Container agent = pod.getContainers().getFirst();

        assertThat(agent.getImage()).isEqualTo("registry.example/tcphealth-agent:1.2.3");
        assertThat(agent.getImagePullPolicy()).isEqualTo("IfNotPresent");
        assertThat(agent.getResources().getLimits()).containsEntry("memory", new Quantity("384Mi"));
        assertThat(pod.getTolerations()).containsExactlyElementsOf(SETTINGS.tolerations());
        assertThat(pod.getPriorityClassName()).isEqualTo("system-node-critical");
        assertThat(pod.getServiceAccountName()).isEqualTo("tcphealth-agent");
        assertThat(agent.getEnv())
                .contains(
                        new EnvVar("TCPHEALTH_HEARTBEAT", "300s", null),
                        new EnvVar("TCPHEALTH_EVENT_NAMESPACE", "default", null),
                        new EnvVar("TCPHEALTH_METRICS_PORT", "9464", null),
                        new EnvVar("JDK_JAVA_OPTIONS", "-Xmx48m", null));
    }

    @Test
    void withoutJavaOptionsTheImageFlagsStandAlone() {
        AgentSettings plain = new AgentSettings(
                SETTINGS.namespace(),
                SETTINGS.image(),
                SETTINGS.pullPolicy(),
                SETTINGS.args(),
                SETTINGS.serviceAccount(),
                SETTINGS.resources(),
                SETTINGS.tolerations(),
                SETTINGS.priorityClassName(),
                SETTINGS.metricsPort(),
                SETTINGS.journalHostPath(),
                SETTINGS.heartbeat(),
                SETTINGS.eventNamespace(),
                null);
        Container agent = AgentDaemonSet.desired(List.of(demand("p", pool("x"), false)), List.of(), false, plain)
                .orElseThrow()
                .getSpec()
                .getTemplate()
                .getSpec()
                .getContainers()
                .getFirst();

        assertThat(agent.getEnv()).noneMatch(e -> e.getName().equals("JDK_JAVA_OPTIONS"));
    }

    @Test
    void setnsIntoPodNamespacesIsGrantedOnlyWhileSomePolicyScansThem() {
        assertThat(capabilities(demand("host", pool("x"), false)))
                .containsExactlyInAnyOrder("DAC_READ_SEARCH", "SYS_PTRACE", "NET_ADMIN", "KILL");
        assertThat(capabilities(demand("pods", pool("x"), true), demand("host", pool("y"), false)))
                .containsExactlyInAnyOrder("DAC_READ_SEARCH", "SYS_PTRACE", "NET_ADMIN", "KILL", "SYS_ADMIN");
    }

    @Test
    void sysctlsAreWrittenThroughASeparateMountOfTheHostsProcSys() {
        DaemonSet ds = AgentDaemonSet.desired(List.of(demand("e", pool("x"), false)), List.of(), false, SETTINGS)
                .orElseThrow();
        Container agent = ds.getSpec().getTemplate().getSpec().getContainers().getFirst();

        assertThat(mount(agent, "/host/proc-sys").getReadOnly()).isFalse();
        assertThat(volume(
                                ds.getSpec().getTemplate().getSpec(),
                                mount(agent, "/host/proc-sys").getName())
                        .getHostPath()
                        .getPath())
                .isEqualTo("/proc/sys");
        assertThat(agent.getEnv()).extracting(EnvVar::getName).contains("TCPHEALTH_SYSCTL_ROOT");
    }

    @Test
    void theSpecHashChangesWithTheSpecAndOnlyThen() {
        String one = hash(AgentDaemonSet.desired(List.of(demand("a", pool("x"), false)), List.of(), false, SETTINGS));
        String same = hash(AgentDaemonSet.desired(List.of(demand("a", pool("x"), false)), List.of(), false, SETTINGS));
        String other = hash(AgentDaemonSet.desired(List.of(demand("a", pool("y"), false)), List.of(), false, SETTINGS));

        assertThat(one).isEqualTo(same).isNotEqualTo(other);
    }

    @Test
    void serverDefaultsLeaveTheFingerprintAloneButAHandEditDoesNot() {
        DaemonSet desired = AgentDaemonSet.desired(List.of(demand("a", pool("x"), false)), List.of(), false, SETTINGS)
                .orElseThrow();
        DaemonSet defaulted = AgentDaemonSet.desired(List.of(demand("a", pool("x"), false)), List.of(), false, SETTINGS)
                .orElseThrow();
        defaulted.getSpec().getTemplate().getSpec().setSchedulerName("default-scheduler");
        defaulted
                .getSpec()
                .getTemplate()
                .getSpec()
                .getContainers()
                .getFirst()
                .setTerminationMessagePath("/dev/termination-log");
        DaemonSet edited = AgentDaemonSet.desired(List.of(demand("a", pool("x"), false)), List.of(), false, SETTINGS)
                .orElseThrow();
        edited.getSpec()
                .getTemplate()
                .getSpec()
                .getContainers()
                .getFirst()
                .getSecurityContext()
                .setPrivileged(true);

        assertThat(AgentDaemonSet.fingerprint(defaulted)).isEqualTo(AgentDaemonSet.fingerprint(desired));
        assertThat(AgentDaemonSet.fingerprint(edited)).isNotEqualTo(AgentDaemonSet.fingerprint(desired));
    }

    private static String hash(java.util.Optional<DaemonSet> ds) {
        return ds.orElseThrow().getMetadata().getAnnotations().get(AgentDaemonSet.SPEC_HASH_ANNOTATION);
    }

    @Test
    void sysAdminStaysWhileAgentsStillHoldChangesInsidePodNamespaces() {
        Set<String> restoring = capabilitiesOf(
                AgentDaemonSet.desired(List.of(demand("host", pool("x"), false)), List.of(), true, SETTINGS)
                        .orElseThrow());
        Set<String> done = capabilitiesOf(
                AgentDaemonSet.desired(List.of(demand("host", pool("x"), false)), List.of(), false, SETTINGS)
                        .orElseThrow());
        Set<String> drainingOnly = capabilitiesOf(
                AgentDaemonSet.desired(List.of(), List.of("n1"), true, SETTINGS).orElseThrow());

        assertThat(restoring).contains("SYS_ADMIN");
        assertThat(drainingOnly).contains("SYS_ADMIN");
        assertThat(done).doesNotContain("SYS_ADMIN");
    }

    private static Set<String> capabilitiesOf(DaemonSet ds) {
        return Set.copyOf(ds.getSpec()
                .getTemplate()
                .getSpec()
                .getContainers()
                .getFirst()
                .getSecurityContext()
                .getCapabilities()
                .getAdd());
    }

    private static Set<String> capabilities(AgentDemand... demands) {
        return Set.copyOf(AgentDaemonSet.desired(List.of(demands), List.of(), false, SETTINGS)
                .orElseThrow()
                .getSpec()
                .getTemplate()
                .getSpec()
                .getContainers()
                .getFirst()
                .getSecurityContext()
                .getCapabilities()
                .getAdd());
    }

    private static List<NodeSelectorTerm> terms(DaemonSet ds) {
        return ds.getSpec()
                .getTemplate()
                .getSpec()
                .getAffinity()
                .getNodeAffinity()
                .getRequiredDuringSchedulingIgnoredDuringExecution()
                .getNodeSelectorTerms();
    }

    private static VolumeMount mount(Container container, String path) {
        return container.getVolumeMounts().stream()
                .filter(m -> m.getMountPath().equals(path))
                .findFirst()
                .orElseThrow();
    }

    private static Volume volume(PodSpec pod, String name) {
        return pod.getVolumes().stream()
                .filter(v -> v.getName().equals(name))
                .findFirst()
                .orElseThrow();
    }

    private static AgentDemand demand(String name, LabelSelector selector, boolean allNamespaces) {
        return new AgentDemand(name, selector, allNamespaces);
    }

    private static LabelSelector pool(String pool) {
        return new LabelSelectorBuilder().addToMatchLabels("pool", pool).build();
    }
}
