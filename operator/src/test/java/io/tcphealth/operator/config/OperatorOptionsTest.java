package io.tcphealth.operator.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Toleration;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class OperatorOptionsTest {

    @Test
    void defaultsNeedOnlyANamespaceAndAnImage() {
        OperatorSettings settings = parse("--namespace", "tcphealth-system", "--agent-image", "example/agent:1");

        assertThat(settings.namespace()).isEqualTo("tcphealth-system");
        assertThat(settings.agent().image()).isEqualTo("example/agent:1");
        assertThat(settings.agent().pullPolicy()).isEqualTo("IfNotPresent");
        assertThat(settings.agent().args()).containsExactly("run");
        assertThat(settings.agent().resources().getLimits()).containsEntry("memory", new Quantity("384Mi"));
        assertThat(settings.agent().tolerations()).isEmpty();
        assertThat(settings.agent().priorityClassName()).isNull();
        assertThat(settings.agent().heartbeat()).isEqualTo(Duration.ofMinutes(5));
        assertThat(settings.leaderElection()).isTrue();
        assertThat(settings.metricsPort()).isEqualTo(8080);
        assertThat(settings.restoreTimeout()).isEqualTo(Duration.ofMinutes(5));
    }

    @Test
    void everyProblemIsReportedAtOnceNamingItsFlag() {
        assertThatThrownBy(() -> parse(
                        "--namespace",
                        "Not_A_Namespace",
                        "--agent-pull-policy",
                        "Sometimes",
                        "--agent-cpu-request",
                        "2",
                        "--agent-cpu-limit",
                        "1",
                        "--agent-memory-limit",
                        "lots",
                        "--metrics-port",
                        "70000",
                        "--restore-timeout",
                        "forever",
                        "--agent-tolerations",
                        "gpu:Sometimes"))
                .isInstanceOfSatisfying(
                        InvalidSettingsException.class,
                        e -> assertThat(e.problems())
                                .containsExactly(
                                        "--namespace: 'Not_A_Namespace' is not a namespace name (lower-case DNS label)",
                                        "--agent-image (TCPHEALTH_AGENT_IMAGE): required, for example ghcr.io/example/tcphealth-agent:0.1.0",
                                        "--agent-pull-policy: 'Sometimes' is not one of Always, IfNotPresent, Never",
                                        "--agent-memory-limit: 'lots' is not a quantity such as 100m, 1, 128Mi",
                                        "agent cpu request 2 is above its limit 1",
                                        "--agent-tolerations: 'gpu:Sometimes' has effect 'Sometimes', not one of NoSchedule, PreferNoSchedule, NoExecute",
                                        "--metrics-port: '70000' is not a port between 0 and 65535",
                                        "--restore-timeout: 'forever' is not a duration such as 30s, 5m or 1h"));
    }

    @Test
    void tolerationsAreWrittenTheWayTaintsAre() {
        OperatorSettings settings = parse(
                "--namespace",
                "ns",
                "--agent-image",
                "a:1",
                "--agent-tolerations",
                "dedicated=checkout:NoSchedule, gpu:NoExecute, spot, *");

        assertThat(settings.agent().tolerations())
                .containsExactly(
                        new Toleration("NoSchedule", "dedicated", "Equal", null, "checkout"),
                        new Toleration("NoExecute", "gpu", "Exists", null, null),
                        new Toleration(null, "spot", "Exists", null, null),
                        new Toleration(null, null, "Exists", null, null));
    }

    @Test
    void argumentsAndSwitchesAreParsed() {
        OperatorSettings settings = parse(
                "--namespace",
                "ns",
                "--agent-image",
                "a:1",
                "--agent-args",
                "run  --verbose",
                "--leader-election",
                "false",
                "--metrics-port",
                "0",
                "--agent-priority-class",
                "system-node-critical");

        assertThat(settings.agent().args()).isEqualTo(List.of("run", "--verbose"));
        assertThat(settings.leaderElection()).isFalse();
        assertThat(settings.metricsPort()).isZero();
        assertThat(settings.agent().priorityClassName()).isEqualTo("system-node-critical");
    }

    private static OperatorSettings parse(String... args) {
        OperatorOptions options = new OperatorOptions();
        new CommandLine(options).parseArgs(args);
        return options.toSettings();
    }
}
