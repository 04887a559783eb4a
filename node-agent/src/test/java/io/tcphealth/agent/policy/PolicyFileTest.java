package io.tcphealth.agent.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tcphealth.agent.proc.SysctlKey;
import io.tcphealth.agent.scan.ScanScope;
import io.tcphealth.agent.socket.TcpState;
import io.tcphealth.api.v1alpha1.RemediationMode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class PolicyFileTest {
    /** The field report's case as the project ships it: the example an operator would start from. */
    static final String FIELD_REPORT = ExamplePolicies.read("checkout-enforce.yaml");

    private final PolicyFile files = new PolicyFile();

    private AgentPolicy load(String yaml) throws PolicyException {
        return new PolicyValidator()
                .validate("test.yaml", files.parse("test.yaml", yaml.getBytes(StandardCharsets.UTF_8)));
    }

    private List<String> problems(String yaml) {
        try {
            load(yaml);
        } catch (PolicyException e) {
            return e.problems();
        }
        throw new AssertionError("policy was accepted");
    }

    @Test
    void readsTheDesignExampleIntoTheAgentsTypes() throws Exception {
        AgentPolicy p = load(FIELD_REPORT);

        assertThat(p.name()).isEqualTo("checkout-nodes");
        assertThat(p.mode()).isEqualTo(RemediationMode.Enforce);
        assertThat(p.interval()).isEqualTo(Duration.ofSeconds(30));
        assertThat(p.scope()).isEqualTo(ScanScope.HOST);
        assertThat(p.sysctls())
                .containsEntry(SysctlKey.TCP_KEEPALIVE_TIME, 600L)
                .containsEntry(SysctlKey.TCP_MAX_ORPHANS, 131072L)
                .hasSize(6);
        assertThat(p.kill().states()).containsExactlyInAnyOrder(TcpState.CLOSE_WAIT, TcpState.FIN_WAIT1);
        assertThat(p.kill().olderThan()).isEqualTo(Duration.ofMinutes(10));
        assertThat(p.pulse().maxDuration()).isEqualTo(Duration.ofSeconds(10));
        assertThat(p.pulse().whenOrphansAbove()).isEqualTo(1000);
        assertThat(p.zombies().olderThan()).isEqualTo(Duration.ofMinutes(5));
        assertThat(p.thresholds().stuckAfter()).isEqualTo(Duration.ofMinutes(5));
    }

    @Test
    void aMinimalPolicyOnlyObserves() throws Exception {
        AgentPolicy p = load("""
                apiVersion: tcphealth.io/v1alpha1
                kind: TcpHealthPolicy
                metadata: {name: watch}
                """);
        assertThat(p.mode()).isEqualTo(RemediationMode.Observe);
        assertThat(p.sysctls()).isEmpty();
        assertThat(p.kill()).isNull();
        assertThat(p.pulse()).isNull();
        assertThat(p.zombies()).isNull();
        assertThat(p.restoreOnDelete()).isTrue();
    }

    @Test
    void aMisspeltFieldIsNamedNotIgnored() {
        assertThat(problems(FIELD_REPORT.replace("    mode: Enforce", "    mdoe: Enforce")))
                .singleElement()
                .asString()
                .startsWith("spec.remediation.mdoe: unknown field")
                .contains("mode");
    }

    @Test
    void anUnknownModeNamesTheFieldAndTheChoices() {
        assertThat(problems(FIELD_REPORT.replace("mode: Enforce", "mode: Enforced")))
                .singleElement()
                .asString()
                .contains("spec.remediation.mode")
                .contains("Observe, DryRun, Enforce");
    }

    @Test
    void unsafeValuesAreRefusedEachByItsField() {
        List<String> p = problems(FIELD_REPORT
                .replace("tcpKeepaliveTime: 600", "tcpKeepaliveTime: 0")
                .replace("tcpMaxOrphans: 131072", "tcpMaxOrphans: 0")
                .replace("maxPerScan: 100", "maxPerScan: 0")
                .replace("interval: 30s", "interval: 1s")
                .replace("states: [CLOSE_WAIT, FIN_WAIT1]", "states: [CLOSE_WAIT, ESTABLISHED]")
                .replace("maxDuration: 10s", "maxDuration: 5m")
                .replace("olderThan: 10m", "olderThan: 1s")
                .replace("orphanRatioWarning: 0.25", "orphanRatioWarning: 0.75")
                .replace("ports: [9080]\n  thresholds", "ports: [0]\n  thresholds"));

        assertThat(p).anyMatch(m -> m.startsWith("spec.sysctls.tcpKeepaliveTime: 0 is below the minimum 1"));
        assertThat(p).anyMatch(m -> m.startsWith("spec.sysctls.tcpMaxOrphans: 0 is below the minimum 1024"));
        assertThat(p).anyMatch(m -> m.startsWith("spec.remediation.killSockets.maxPerScan: 0 is below the minimum 1"));
        assertThat(p).anyMatch(m -> m.startsWith("spec.interval: interval must be at least 5s"));
        assertThat(p)
                .anyMatch(m -> m.startsWith(
                        "spec.remediation.killSockets.states: killSockets.states may name only closing states"));
        assertThat(p)
                .anyMatch(
                        m -> m.startsWith(
                                "spec.remediation.flushOrphans.maxDuration: flushOrphans.maxDuration must be more than 0s and at most 60s"));
        assertThat(p)
                .anyMatch(m -> m.startsWith(
                        "spec.remediation.killSockets.olderThan: killSockets.olderThan must be at least 30s"));
        assertThat(p)
                .anyMatch(m ->
                        m.startsWith("spec.thresholds: orphanRatioWarning must be lower than orphanRatioCritical"));
        assertThat(p).anyMatch(m -> m.startsWith("spec.ports[0]: 0 is below the minimum 1"));
    }

    @Test
    void killSocketsCanNameTheOwningCommands() throws Exception {
        AgentPolicy p =
                load(FIELD_REPORT.replace("maxPerScan: 100", "maxPerScan: 100\n      processes: [java, envoy]"));
        assertThat(p.kill().processes()).containsExactlyInAnyOrder("java", "envoy");
        assertThat(p.kill().matchesOwners(List.of("envoy"))).isTrue();
        assertThat(p.kill().matchesOwners(List.of()))
                .as("an orphan has no owner to match")
                .isFalse();

        assertThat(problems(FIELD_REPORT.replace(
                        "maxPerScan: 100", "maxPerScan: 100\n      processes: [org.example.checkout.Main]")))
                .anyMatch(m -> m.startsWith(
                        "spec.remediation.killSockets.processes: killSockets.processes names commands as the "
                                + "kernel keeps them: 1 to 15 characters each"));
    }

    @Test
    void malformedDurationsAndMissingNamesAreRefused() {
        List<String> p = problems(
                FIELD_REPORT.replace("name: checkout-nodes", "labels: {}").replace("cooldown: 10m", "cooldown: soon"));
        assertThat(p).anyMatch(m -> m.startsWith("metadata.name: required"));
        assertThat(p).anyMatch(m -> m.startsWith("spec.remediation.flushOrphans.cooldown: 'soon' does not match"));
    }

    @Test
    void otherDocumentsAreRefused() {
        assertThatThrownBy(() -> load("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n"))
                .isInstanceOf(PolicyException.class)
                .hasMessageContaining("apiVersion/kind");
        assertThatThrownBy(() -> load("spec: [unclosed\n"))
                .isInstanceOf(PolicyException.class)
                .hasMessageContaining("not valid YAML");
        assertThatThrownBy(() -> load("")).isInstanceOf(PolicyException.class).hasMessageContaining("empty");
    }
}
