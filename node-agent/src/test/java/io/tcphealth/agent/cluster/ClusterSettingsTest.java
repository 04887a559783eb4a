package io.tcphealth.agent.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ClusterSettingsTest {

    @Test
    void aPodOfTheDaemonSetRunsInClusterModeWithTheHostsProc() {
        Map<String, String> env = Map.of(
                "NODE_NAME",
                "worker-7",
                "KUBERNETES_SERVICE_HOST",
                "10.0.0.1",
                "TCPHEALTH_HEARTBEAT",
                "2m",
                "TCPHEALTH_METRICS_PORT",
                "9464");
        assertThat(ClusterSettings.inCluster(env, p -> false)).isTrue();
        ClusterSettings s =
                ClusterSettings.from(env, p -> p.equals(Path.of("/host/proc/1")), null, null, null, null, null);
        assertThat(s.node()).isEqualTo("worker-7");
        assertThat(s.procRoot()).isEqualTo(Path.of("/host/proc"));
        assertThat(s.heartbeat()).isEqualTo(Duration.ofMinutes(2));
        assertThat(s.metricsPort()).isEqualTo(9464);
        assertThat(s.eventNamespace()).isEqualTo("default");
        assertThat(s.namespacedSysctlRoot()).isEqualTo(Path.of("/host/proc/sys"));
    }

    @Test
    void theDaemonSetsWritableSysctlMountServesEveryKeyWhileTheProcMountStaysReadOnly() {
        Map<String, String> env = Map.of(
                "NODE_NAME",
                "worker-7",
                "TCPHEALTH_PROC_ROOT",
                "/host/proc",
                "TCPHEALTH_SYSCTL_ROOT",
                "/host/proc-sys");
        ClusterSettings s = ClusterSettings.from(env, p -> true, null, null, null, null, null);
        assertThat(s.sysctlRoot()).isEqualTo(Path.of("/host/proc-sys"));
        assertThat(s.namespacedSysctlRoot()).isEqualTo(Path.of("/host/proc-sys"));

        // --sysctl-root (tests) moves only the host-wide keys.
        ClusterSettings test =
                ClusterSettings.from(Map.of("NODE_NAME", "n"), p -> false, null, null, Path.of("/tmp/sys"), null, null);
        assertThat(test.sysctlRoot()).isEqualTo(Path.of("/tmp/sys"));
        assertThat(test.namespacedSysctlRoot()).isEqualTo(Path.of("/proc/sys"));
    }

    @Test
    void withoutTheHostMountProcIsUsedAndMistakesAreNamed() {
        ClusterSettings s = ClusterSettings.from(Map.of("NODE_NAME", "n"), p -> false, null, null, null, null, null);
        assertThat(s.procRoot()).isEqualTo(Path.of("/proc"));
        assertThat(ClusterSettings.inCluster(Map.of(), p -> true)).isFalse();
        assertThatThrownBy(() -> ClusterSettings.from(
                        Map.of("TCPHEALTH_HEARTBEAT", "soon"), p -> false, null, null, null, null, null))
                .hasMessageContaining("NODE_NAME")
                .hasMessageContaining("TCPHEALTH_HEARTBEAT");
    }
}
