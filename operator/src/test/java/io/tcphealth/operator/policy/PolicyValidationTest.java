package io.tcphealth.operator.policy;

import static io.tcphealth.operator.TestObjects.policy;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.tcphealth.api.v1alpha1.Thresholds;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PolicyValidationTest {

  @Test
  void selectorsMatchLikeKubernetesLabelSelectors() {
    LabelSelector selector = new LabelSelectorBuilder()
        .addToMatchLabels("pool", "checkout")
        .addNewMatchExpression().withKey("zone").withOperator("In").withValues("a", "b").endMatchExpression()
        .addNewMatchExpression().withKey("tier").withOperator("NotIn").withValues("canary").endMatchExpression()
        .addNewMatchExpression().withKey("gpu").withOperator("DoesNotExist").endMatchExpression()
        .addNewMatchExpression().withKey("kernel").withOperator("Exists").endMatchExpression()
        .build();

    assertThat(NodeSelection.matches(selector, Map.of("pool", "checkout", "zone", "a", "kernel", "6.1"))).isTrue();
    assertThat(NodeSelection.matches(selector, Map.of("pool", "checkout", "zone", "c", "kernel", "6.1"))).isFalse();
    assertThat(NodeSelection.matches(selector,
        Map.of("pool", "checkout", "zone", "a", "kernel", "6.1", "tier", "canary"))).isFalse();
    assertThat(NodeSelection.matches(selector,
        Map.of("pool", "checkout", "zone", "b", "kernel", "6.1", "gpu", "yes"))).isFalse();
    assertThat(NodeSelection.matches(selector, Map.of("pool", "checkout", "zone", "b"))).isFalse();
    assertThat(NodeSelection.matches(selector, Map.of("pool", "batch", "zone", "a", "kernel", "6.1"))).isFalse();
    assertThat(NodeSelection.problems(selector)).isEmpty();
  }

  @Test
  void anEmptyOrMissingSelectorSelectsEveryNode() {
    assertThat(NodeSelection.matches(null, Map.of())).isTrue();
    assertThat(NodeSelection.matches(new LabelSelector(), Map.of("any", "thing"))).isTrue();
  }

  @Test
  void selectorsTheSchemaAcceptsButKubernetesWouldRejectAreReported() {
    LabelSelector selector = new LabelSelectorBuilder()
        .addToMatchLabels("pool", "has spaces")
        .addNewMatchExpression().withKey("zone").withOperator("Matches").withValues("a.*").endMatchExpression()
        .addNewMatchExpression().withKey("tier").withOperator("In").endMatchExpression()
        .addNewMatchExpression().withKey("gpu").withOperator("Exists").withValues("yes").endMatchExpression()
        .addNewMatchExpression().withKey("-bad-key").withOperator("Exists").endMatchExpression()
        .build();

    assertThat(NodeSelection.problems(selector)).containsExactlyInAnyOrder(
        "nodeSelector.matchLabels['pool']: 'has spaces' is not a valid label value",
        "nodeSelector.matchExpressions[0].operator: 'Matches' is not one of In, NotIn, Exists, DoesNotExist",
        "nodeSelector.matchExpressions[0].values: 'a.*' is not a valid label value",
        "nodeSelector.matchExpressions[1]: operator In needs at least one value",
        "nodeSelector.matchExpressions[2]: operator Exists takes no values",
        "nodeSelector.matchExpressions[3].key: '-bad-key' is not a valid label key");
    assertThat(NodeSelection.matches(selector, Map.of("pool", "has spaces", "zone", "abc"))).isFalse();
  }

  @Test
  void prefixedLabelKeysAreValid() {
    assertThat(NodeSelection.problems(new LabelSelectorBuilder()
        .addToMatchLabels("tcphealth.io/pool", "checkout")
        .addToMatchLabels("node-role.kubernetes.io/worker", "")
        .build())).isEmpty();
  }

  @Test
  void durationsOutsideTheirBoundsAreReportedEvenWhereCelDoesNotRun() {
    assertThat(PolicyValidation.problems(policy("p", 0, spec -> spec.setInterval("2s"))))
        .containsExactly("interval: 2s is outside 5s to 3600s");
    assertThat(PolicyValidation.problems(policy("p", 0, spec -> spec.setInterval("soon"))))
        .containsExactly("interval: 'soon' is not a duration such as 30s, 5m or 1h");
    assertThat(PolicyValidation.problems(policy("p", 0, spec -> { }))).isEmpty();
  }

  @Test
  void anOrphanWarningAboveTheCriticalRatioIsReported() {
    Thresholds thresholds = new Thresholds();
    thresholds.setOrphanRatioWarning(0.6);
    thresholds.setOrphanRatioCritical(0.5);

    assertThat(PolicyValidation.problems(policy("p", 0, spec -> spec.setThresholds(thresholds))))
        .singleElement().asString().contains("orphanRatioWarning 0.6");
  }
}
