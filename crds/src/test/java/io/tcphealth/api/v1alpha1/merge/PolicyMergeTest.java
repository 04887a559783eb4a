package io.tcphealth.api.v1alpha1.merge;

import static org.assertj.core.api.Assertions.assertThat;

import io.tcphealth.api.v1alpha1.Conflict;
import io.tcphealth.api.v1alpha1.KillSockets;
import io.tcphealth.api.v1alpha1.PolicyRestore;
import io.tcphealth.api.v1alpha1.Remediation;
import io.tcphealth.api.v1alpha1.RemediationMode;
import io.tcphealth.api.v1alpha1.Scope;
import io.tcphealth.api.v1alpha1.SocketState;
import io.tcphealth.api.v1alpha1.Sourced;
import io.tcphealth.api.v1alpha1.SysctlSetting;
import io.tcphealth.api.v1alpha1.Sysctls;
import io.tcphealth.api.v1alpha1.TcpHealthNodeSpec;
import io.tcphealth.api.v1alpha1.TcpHealthPolicy;
import io.tcphealth.api.v1alpha1.TcpHealthPolicySpec;
import io.tcphealth.api.v1alpha1.Thresholds;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class PolicyMergeTest {

    static TcpHealthPolicy policy(String name, int priority, java.util.function.Consumer<TcpHealthPolicySpec> spec) {
        TcpHealthPolicy policy = new TcpHealthPolicy();
        policy.getMetadata().setName(name);
        policy.getSpec().setPriority(priority);
        spec.accept(policy.getSpec());
        return policy;
    }

    @Test
    void higherPriorityWinsAndTheLoserIsListedWithTheKey() {
        TcpHealthPolicy low = policy("low", 1, spec -> spec.setSysctls(sysctls(300, 30)));
        TcpHealthPolicy high = policy("high", 10, spec -> spec.setSysctls(sysctls(600, null)));

        TcpHealthNodeSpec merged = PolicyMerge.merge(List.of(low, high));

        assertThat(merged.getPolicies()).containsExactly("high", "low");
        assertThat(merged.getSysctls())
                .containsExactly(
                        new SysctlSetting("net.ipv4.tcp_keepalive_time", 600L, "high"),
                        new SysctlSetting("net.ipv4.tcp_fin_timeout", 30L, "low"));
        assertThat(merged.getConflicts()).singleElement().satisfies(c -> {
            assertThat(c.getKey()).isEqualTo("sysctls.tcpKeepaliveTime");
            assertThat(c.getWinner()).isEqualTo("high");
            assertThat(c.getLosers()).containsExactly("low");
            assertThat(c.getMessage()).contains("600").contains("300").contains("'high' (priority 10)");
        });
    }

    @Test
    void equalPrioritiesGoToTheNameThatSortsFirstWhateverTheInputOrder() {
        TcpHealthPolicy beta = policy("beta", 5, spec -> spec.setInterval("10s"));
        TcpHealthPolicy alpha = policy("alpha", 5, spec -> spec.setInterval("60s"));
        TcpHealthPolicy gamma = policy("gamma", 5, spec -> spec.setInterval("20s"));
        List<TcpHealthPolicy> policies = new ArrayList<>(List.of(beta, alpha, gamma));

        TcpHealthNodeSpec first = PolicyMerge.merge(policies);
        for (int i = 0; i < 5; i++) {
            Collections.shuffle(policies);
            assertThat(PolicyMerge.merge(policies)).isEqualTo(first);
        }
        assertThat(first.getInterval()).isEqualTo(new Sourced<>("60s", "alpha"));
        assertThat(first.getConflicts()).singleElement().satisfies(c -> {
            assertThat(c.getWinner()).isEqualTo("alpha");
            assertThat(c.getLosers()).containsExactly("beta", "gamma");
        });
    }

    @Test
    void equalValuesAndUnsetKeysAreNoConflict() {
        TcpHealthPolicy a = policy("a", 2, spec -> {
            spec.setSysctls(sysctls(600, null));
            spec.setScope(Scope.Host);
        });
        TcpHealthPolicy b = policy("b", 1, spec -> {
            spec.setSysctls(sysctls(600, 15));
            spec.setScope(Scope.Host);
            spec.setPorts(List.of(9080));
        });

        TcpHealthNodeSpec merged = PolicyMerge.merge(List.of(a, b));

        assertThat(merged.getConflicts()).isEmpty();
        assertThat(merged.getSysctls())
                .containsExactly(
                        new SysctlSetting("net.ipv4.tcp_keepalive_time", 600L, "a"),
                        new SysctlSetting("net.ipv4.tcp_fin_timeout", 15L, "b"));
        assertThat(merged.getPorts()).isEqualTo(new Sourced<>(List.of(9080), "b"));
    }

    @Test
    void everyFamilyOfKeysRecordsItsSource() {
        TcpHealthPolicy enforcer = policy("enforcer", 9, spec -> {
            Remediation remediation = new Remediation();
            remediation.setMode(RemediationMode.Enforce);
            KillSockets kill = new KillSockets();
            kill.setStates(List.of(SocketState.CLOSE_WAIT));
            remediation.setKillSockets(kill);
            remediation.setRestoreOnDelete(false);
            spec.setRemediation(remediation);
        });
        TcpHealthPolicy watcher = policy("watcher", 1, spec -> {
            Thresholds thresholds = new Thresholds();
            thresholds.setFinWait1(100);
            spec.setThresholds(thresholds);
            spec.setPorts(List.of(9080));
            spec.setScope(Scope.AllNamespaces);
        });

        TcpHealthNodeSpec merged = PolicyMerge.merge(List.of(watcher, enforcer));

        assertThat(merged.getRemediation().getMode()).isEqualTo(new Sourced<>(RemediationMode.Enforce, "enforcer"));
        assertThat(merged.getRemediation().getKillSockets().getSource()).isEqualTo("enforcer");
        assertThat(merged.getThresholds().getFinWait1()).isEqualTo(new Sourced<>(100, "watcher"));
        assertThat(merged.getThresholds().getOrphanRatioCritical())
                .as("nobody wrote it: the agent's default applies")
                .isNull();
        assertThat(merged.getPorts()).isEqualTo(new Sourced<>(List.of(9080), "watcher"));
        // A scope nobody wrote is no value: the lower priority's explicit AllNamespaces applies, without a conflict.
        assertThat(merged.getScope()).isEqualTo(new Sourced<>(Scope.AllNamespaces, "watcher"));
        assertThat(merged.getConflicts()).isEmpty();
        assertThat(merged.getRestoreOnDelete())
                .extracting(PolicyRestore::getPolicy, PolicyRestore::getRestoreOnDelete)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("enforcer", false),
                        org.assertj.core.groups.Tuple.tuple("watcher", true));
    }

    @Test
    void aHigherPriorityObservePolicyOverridesEnforceAndSaysSo() {
        TcpHealthPolicy enforcer = policy("enforcer", 1, spec -> spec.setRemediation(mode(RemediationMode.Enforce)));
        TcpHealthPolicy observer = policy("observer", 5, spec -> spec.setRemediation(mode(RemediationMode.Observe)));

        TcpHealthNodeSpec merged = PolicyMerge.merge(List.of(enforcer, observer));

        assertThat(merged.getRemediation().getMode()).isEqualTo(new Sourced<>(RemediationMode.Observe, "observer"));
        assertThat(merged.getConflicts()).extracting(Conflict::getKey).containsExactly("remediation.mode");
    }

    @Test
    void withoutAnyModeTheSafeDefaultIsAttributedToTheLeadingPolicy() {
        TcpHealthNodeSpec merged = PolicyMerge.merge(List.of(policy("only", 0, spec -> {})));

        assertThat(merged.getRemediation().getMode()).isEqualTo(new Sourced<>(RemediationMode.Observe, "only"));
    }

    @Test
    void aValueNobodyWroteNeverWinsOverAnExplicitOne() {
        TcpHealthPolicy quiet = policy("quiet", 100, spec -> {});
        TcpHealthPolicy explicit = policy("explicit", 1, spec -> {
            spec.setInterval("10s");
            spec.setScope(Scope.AllNamespaces);
            spec.setRemediation(mode(RemediationMode.Enforce));
            Thresholds thresholds = new Thresholds();
            thresholds.setOrphanRatioWarning(0.3);
            thresholds.setOrphanRatioCritical(0.6);
            spec.setThresholds(thresholds);
        });

        TcpHealthNodeSpec merged = PolicyMerge.merge(List.of(quiet, explicit));

        assertThat(merged.getPolicies()).containsExactly("quiet", "explicit");
        assertThat(merged.getInterval()).isEqualTo(new Sourced<>("10s", "explicit"));
        assertThat(merged.getScope()).isEqualTo(new Sourced<>(Scope.AllNamespaces, "explicit"));
        assertThat(merged.getRemediation().getMode()).isEqualTo(new Sourced<>(RemediationMode.Enforce, "explicit"));
        assertThat(merged.getThresholds().getOrphanRatioWarning()).isEqualTo(new Sourced<>(0.3, "explicit"));
        assertThat(merged.getThresholds().getOrphanRatioCritical()).isEqualTo(new Sourced<>(0.6, "explicit"));
        assertThat(merged.getConflicts()).isEmpty();
    }

    @Test
    void orphanRatiosThatWouldCrossComeBothFromTheLeadingPolicy() {
        // Each valid alone (the unset side at its default: 0.4 < 0.5 and 0.25 < 0.3), crossed if merged key by key.
        TcpHealthPolicy warns = policy("warns", 10, spec -> spec.setThresholds(ratios(0.4, null)));
        TcpHealthPolicy critical = policy("critical", 1, spec -> spec.setThresholds(ratios(null, 0.3)));

        TcpHealthNodeSpec merged = PolicyMerge.merge(List.of(warns, critical));

        assertThat(merged.getThresholds().getOrphanRatioWarning()).isEqualTo(new Sourced<>(0.4, "warns"));
        assertThat(merged.getThresholds().getOrphanRatioCritical())
                .as("warns' own: unset, so the default 0.5")
                .isNull();
        assertThat(merged.getConflicts()).singleElement().satisfies(c -> {
            assertThat(c.getKey()).isEqualTo("thresholds.orphanRatioCritical");
            assertThat(c.getWinner()).isEqualTo("warns");
            assertThat(c.getLosers()).containsExactly("critical");
            assertThat(c.getMessage()).contains("0.3").contains("would cross");
        });

        TcpHealthNodeSpec reversed = PolicyMerge.merge(List.of(
                policy("warns", 1, spec -> spec.setThresholds(ratios(0.4, null))),
                policy("critical", 10, spec -> spec.setThresholds(ratios(null, 0.3)))));
        assertThat(reversed.getThresholds().getOrphanRatioWarning()).isNull();
        assertThat(reversed.getThresholds().getOrphanRatioCritical()).isEqualTo(new Sourced<>(0.3, "critical"));
        assertThat(reversed.getConflicts())
                .extracting(Conflict::getKey)
                .containsExactly("thresholds.orphanRatioWarning");
    }

    @Test
    void ephemeralPortRatiosThatWouldCrossComeBothFromTheLeadingPolicy() {
        // Each valid alone (0.85 < the default 0.9; the default 0.7 < 0.8), crossed if merged key by key.
        Thresholds warns = new Thresholds();
        warns.setEphemeralPortRatioWarning(0.85);
        Thresholds critical = new Thresholds();
        critical.setEphemeralPortRatioCritical(0.8);
        critical.setStalledRetransmits(3);

        TcpHealthNodeSpec merged = PolicyMerge.merge(List.of(
                policy("warns", 10, spec -> spec.setThresholds(warns)),
                policy("critical", 1, spec -> spec.setThresholds(critical))));

        assertThat(merged.getThresholds().getEphemeralPortRatioWarning()).isEqualTo(new Sourced<>(0.85, "warns"));
        assertThat(merged.getThresholds().getEphemeralPortRatioCritical())
                .as("warns' own: unset, so the default")
                .isNull();
        assertThat(merged.getThresholds().getStalledRetransmits()).isEqualTo(new Sourced<>(3, "critical"));
        assertThat(merged.getConflicts()).singleElement().satisfies(c -> {
            assertThat(c.getKey()).isEqualTo("thresholds.ephemeralPortRatioCritical");
            assertThat(c.getWinner()).isEqualTo("warns");
            assertThat(c.getMessage())
                    .contains("0.8")
                    .contains("would cross")
                    .contains("ephemeralPortRatioWarning 0.85");
        });
    }

    @Test
    void noPoliciesGiveAnEmptySpec() {
        TcpHealthNodeSpec merged = PolicyMerge.merge(List.of());

        assertThat(merged.getPolicies()).isEmpty();
        assertThat(merged.getSysctls()).isEmpty();
        assertThat(merged.getConflicts()).isEmpty();
        assertThat(merged.getRemediation().getMode()).isNull();
    }

    private static Sysctls sysctls(Integer keepaliveTime, Integer finTimeout) {
        Sysctls sysctls = new Sysctls();
        sysctls.setTcpKeepaliveTime(keepaliveTime);
        sysctls.setTcpFinTimeout(finTimeout);
        return sysctls;
    }

    private static Thresholds ratios(Double warning, Double critical) {
        Thresholds thresholds = new Thresholds();
        thresholds.setOrphanRatioWarning(warning);
        thresholds.setOrphanRatioCritical(critical);
        return thresholds;
    }

    private static Remediation mode(RemediationMode mode) {
        Remediation remediation = new Remediation();
        remediation.setMode(mode);
        return remediation;
    }
}
