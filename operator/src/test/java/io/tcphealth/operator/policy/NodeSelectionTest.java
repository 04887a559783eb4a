package io.tcphealth.operator.policy;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NodeSelectionTest {

    @Test
    void selectorsMatchLikeKubernetesLabelSelectors() {
        LabelSelector selector = new LabelSelectorBuilder()
                .addToMatchLabels("pool", "checkout")
                .addNewMatchExpression()
                .withKey("zone")
                .withOperator("In")
                .withValues("a", "b")
                .endMatchExpression()
                .addNewMatchExpression()
                .withKey("tier")
                .withOperator("NotIn")
                .withValues("canary")
                .endMatchExpression()
                .addNewMatchExpression()
                .withKey("gpu")
                .withOperator("DoesNotExist")
                .endMatchExpression()
                .addNewMatchExpression()
                .withKey("kernel")
                .withOperator("Exists")
                .endMatchExpression()
                .build();

        assertThat(NodeSelection.matches(selector, Map.of("pool", "checkout", "zone", "a", "kernel", "6.1")))
                .isTrue();
        assertThat(NodeSelection.matches(selector, Map.of("pool", "checkout", "zone", "c", "kernel", "6.1")))
                .isFalse();
        assertThat(NodeSelection.matches(
                        selector, Map.of("pool", "checkout", "zone", "a", "kernel", "6.1", "tier", "canary")))
                .isFalse();
        assertThat(NodeSelection.matches(
                        selector, Map.of("pool", "checkout", "zone", "b", "kernel", "6.1", "gpu", "yes")))
                .isFalse();
        assertThat(NodeSelection.matches(selector, Map.of("pool", "checkout", "zone", "b")))
                .isFalse();
        assertThat(NodeSelection.matches(selector, Map.of("pool", "batch", "zone", "a", "kernel", "6.1")))
                .isFalse();
    }

    @Test
    void anEmptyOrMissingSelectorSelectsEveryNode() {
        assertThat(NodeSelection.matches(null, Map.of())).isTrue();
        assertThat(NodeSelection.matches(new LabelSelector(), Map.of("any", "thing")))
                .isTrue();
    }
}
