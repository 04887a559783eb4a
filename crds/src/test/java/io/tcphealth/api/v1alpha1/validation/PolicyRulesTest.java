package io.tcphealth.api.v1alpha1.validation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.tcphealth.api.v1alpha1.KillSockets;
import io.tcphealth.api.v1alpha1.SocketState;
import io.tcphealth.api.v1alpha1.TcpHealthPolicy;
import io.tcphealth.api.v1alpha1.TcpHealthPolicySpec;
import io.tcphealth.api.v1alpha1.Thresholds;
import java.lang.reflect.Field;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class PolicyRulesTest {

    private static TcpHealthPolicy policy(Consumer<TcpHealthPolicySpec> spec) {
        TcpHealthPolicy policy = new TcpHealthPolicy();
        policy.getMetadata().setName("p");
        spec.accept(policy.getSpec());
        return policy;
    }

    @Test
    void everyCelRuleOfThePolicyHasAJavaTwin() {
        List<String> rules = new ArrayList<>();
        collectRules(TcpHealthPolicySpec.class, rules, new HashSet<>());

        assertThat(rules).hasSizeGreaterThan(10);
        assertThat(rules)
                .allSatisfy(rule -> assertThat(CelTwins.known(rule)).as(rule).isTrue());
    }

    @Test
    void aRuleWithoutATwinIsAnErrorNotASkip() {
        ValidationRule unknown =
                KillSocketsWithUnknownRule.class.getDeclaredFields()[0].getAnnotation(ValidationRule.class);

        assertThatThrownBy(() -> CelTwins.violation(unknown, "x"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("size(self) < 3");
    }

    @Test
    void durationsOutsideTheirBoundsAreReportedWithTheSchemasMessage() {
        assertThat(PolicyRules.problems(policy(spec -> spec.setInterval("2s"))))
                .containsExactly(
                        "spec.interval: interval must be at least 5s: each scan walks every socket and process on the node");
        assertThat(PolicyRules.problems(policy(spec -> spec.setInterval("2h"))))
                .containsExactly("spec.interval: interval must be at most 1h");
        assertThat(PolicyRules.problems(policy(spec -> spec.setInterval("soon"))))
                .singleElement()
                .asString()
                .startsWith("spec.interval: 'soon' does not match");
        assertThat(PolicyRules.problems(policy(spec -> spec.setInterval("99999999999999999999h"))))
                .singleElement()
                .asString()
                .startsWith("spec.interval: Too long a duration");
        assertThat(PolicyRules.problems(policy(spec -> {}))).isEmpty();
    }

    @Test
    void orphanRatiosAreComparedWithTheDefaultStandingInForAnUnsetSide() {
        Thresholds warningOnly = new Thresholds();
        warningOnly.setOrphanRatioWarning(0.6);
        warningOnly.setOrphanRatioCritical(null);
        Thresholds both = new Thresholds();
        both.setOrphanRatioWarning(0.6);
        both.setOrphanRatioCritical(0.9);

        assertThat(PolicyRules.problems(policy(spec -> spec.setThresholds(warningOnly))))
                .containsExactly("spec.thresholds: orphanRatioWarning must be lower than orphanRatioCritical");
        assertThat(PolicyRules.problems(policy(spec -> spec.setThresholds(both))))
                .isEmpty();
    }

    @Test
    void listEntriesAreCheckedOneByOne() {
        KillSockets kill = new KillSockets();
        kill.setStates(List.of(SocketState.CLOSE_WAIT, SocketState.ESTABLISHED));
        kill.setPorts(List.of(9080, 0));
        List<Integer> ports = new ArrayList<>();
        ports.add(null);

        assertThat(PolicyRules.problems(policy(spec -> {
                    spec.getRemediation().setKillSockets(kill);
                    spec.setPorts(ports);
                })))
                .containsExactlyInAnyOrder(
                        "spec.ports[0]: an entry is empty",
                        "spec.remediation.killSockets.states: killSockets.states may name only closing states (CLOSE_WAIT, "
                                + "FIN_WAIT1, FIN_WAIT2, LAST_ACK, CLOSING): destroying ESTABLISHED, LISTEN or handshake sockets would "
                                + "cut live traffic",
                        "spec.remediation.killSockets.ports[1]: 0 is below the minimum 1");
    }

    @Test
    void selectorsTheSchemaAcceptsButKubernetesWouldRejectAreReported() {
        TcpHealthPolicy policy = policy(spec -> spec.setNodeSelector(new LabelSelectorBuilder()
                .addToMatchLabels("pool", "has spaces")
                .addNewMatchExpression()
                .withKey("zone")
                .withOperator("Matches")
                .withValues("a.*")
                .endMatchExpression()
                .addNewMatchExpression()
                .withKey("tier")
                .withOperator("In")
                .endMatchExpression()
                .addNewMatchExpression()
                .withKey("gpu")
                .withOperator("Exists")
                .withValues("yes")
                .endMatchExpression()
                .addNewMatchExpression()
                .withKey("-bad-key")
                .withOperator("Exists")
                .endMatchExpression()
                .build()));

        assertThat(PolicyRules.problems(policy))
                .containsExactlyInAnyOrder(
                        "spec.nodeSelector.matchLabels['pool']: 'has spaces' is not a valid label value",
                        "spec.nodeSelector.matchExpressions[0].operator: 'Matches' is not one of In, NotIn, Exists, DoesNotExist",
                        "spec.nodeSelector.matchExpressions[0].values: 'a.*' is not a valid label value",
                        "spec.nodeSelector.matchExpressions[1]: operator In needs at least one value",
                        "spec.nodeSelector.matchExpressions[2]: operator Exists takes no values",
                        "spec.nodeSelector.matchExpressions[3].key: '-bad-key' is not a valid label key");
    }

    @Test
    void prefixedLabelKeysAreValid() {
        assertThat(PolicyRules.problems(policy(spec -> spec.setNodeSelector(new LabelSelectorBuilder()
                        .addToMatchLabels("tcphealth.io/pool", "checkout")
                        .addToMatchLabels("node-role.kubernetes.io/worker", "")
                        .build()))))
                .isEmpty();
    }

    @Test
    void aPolicyNeedsAName() {
        TcpHealthPolicy policy = new TcpHealthPolicy();

        assertThat(PolicyRules.problems(policy)).singleElement().asString().startsWith("metadata.name: required");
    }

    private static final class KillSocketsWithUnknownRule {
        @ValidationRule(value = "size(self) < 3", message = "short")
        private String name;
    }

    /** Every {@code @ValidationRule} on the classes reachable from {@code type}'s fields in the API package. */
    private static void collectRules(Class<?> type, List<String> rules, Set<Class<?>> seen) {
        if (!type.getPackageName().equals("io.tcphealth.api.v1alpha1") || type.isEnum() || !seen.add(type)) {
            return;
        }
        for (ValidationRule rule : type.getAnnotationsByType(ValidationRule.class)) {
            rules.add(rule.value());
        }
        for (Field f : type.getDeclaredFields()) {
            for (ValidationRule rule : f.getAnnotationsByType(ValidationRule.class)) {
                rules.add(rule.value());
            }
            collectRules(f.getType(), rules, seen);
            Type generic = f.getGenericType();
            if (generic instanceof ParameterizedType p && p.getActualTypeArguments()[0] instanceof Class<?> entry) {
                collectRules(entry, rules, seen);
            }
        }
    }
}
