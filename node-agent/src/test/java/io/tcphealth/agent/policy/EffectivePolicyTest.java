package io.tcphealth.agent.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tcphealth.agent.proc.SysctlKey;
import io.tcphealth.agent.scan.ScanScope;
import io.tcphealth.api.v1alpha1.EffectiveRemediation;
import io.tcphealth.api.v1alpha1.EffectiveThresholds;
import io.tcphealth.api.v1alpha1.RemediationMode;
import io.tcphealth.api.v1alpha1.Scope;
import io.tcphealth.api.v1alpha1.Sourced;
import io.tcphealth.api.v1alpha1.SysctlSetting;
import io.tcphealth.api.v1alpha1.TcpHealthNodeSpec;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class EffectivePolicyTest {
    private final EffectivePolicy effective = new EffectivePolicy();

    @Test
    void theMergedSpecBecomesTheRoundsPolicy() throws PolicyException {
        TcpHealthNodeSpec spec = new TcpHealthNodeSpec();
        spec.setPolicies(List.of("platform", "checkout"));
        spec.setInterval(new Sourced<>("10s", "checkout"));
        spec.setScope(new Sourced<>(Scope.AllNamespaces, "platform"));
        spec.setPorts(new Sourced<>(List.of(9080), "checkout"));
        EffectiveThresholds t = new EffectiveThresholds();
        t.setCloseWaitPerProcess(new Sourced<>(20, "checkout"));
        t.setIdleWithoutKeepaliveAfter(new Sourced<>("4m", "platform"));
        spec.setThresholds(t);
        spec.setSysctls(List.of(new SysctlSetting("net.ipv4.tcp_keepalive_time", 600L, "checkout")));
        EffectiveRemediation r = new EffectiveRemediation();
        r.setMode(new Sourced<>(RemediationMode.Enforce, "checkout"));
        spec.setRemediation(r);

        AgentPolicy p = effective.of(spec);
        assertThat(p.name()).as("the policy that asked for changes").isEqualTo("checkout");
        assertThat(p.interval()).isEqualTo(Duration.ofSeconds(10));
        assertThat(p.scope()).isEqualTo(ScanScope.ALL);
        assertThat(p.ports()).containsExactly(9080);
        assertThat(p.thresholds().closeWaitPerProcess()).isEqualTo(20L);
        assertThat(p.thresholds().connections().idleWithoutKeepaliveAfter()).isEqualTo(Duration.ofMinutes(4));
        assertThat(p.sysctls()).containsEntry(SysctlKey.TCP_KEEPALIVE_TIME, 600L);
        assertThat(p.mode()).isEqualTo(RemediationMode.Enforce);
    }

    @Test
    void anEmptySpecIsTheDefaultsInObserveAndABadOneIsRefused() throws PolicyException {
        AgentPolicy p = effective.of(new TcpHealthNodeSpec());
        assertThat(p.mode()).isEqualTo(RemediationMode.Observe);
        assertThat(p.interval()).isEqualTo(Duration.ofSeconds(30));
        assertThat(p.name()).isEqualTo(EffectivePolicy.NONE);
        assertThat(p.thresholds().connections().idleWithoutKeepaliveAfter()).isEqualTo(Duration.ofMinutes(10));

        TcpHealthNodeSpec bad = new TcpHealthNodeSpec();
        bad.setInterval(new Sourced<>("1s", "x"));
        assertThatThrownBy(() -> effective.of(bad))
                .isInstanceOf(PolicyException.class)
                .hasMessageContaining("interval");
    }
}
