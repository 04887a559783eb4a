package io.tcphealth.operator.fleet;

import static io.tcphealth.operator.TestObjects.node;
import static io.tcphealth.operator.TestObjects.policyOnPool;
import static io.tcphealth.operator.TestObjects.status;
import static io.tcphealth.operator.TestObjects.tcpHealthNode;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.tcphealth.api.v1alpha1.PolicyRestore;
import io.tcphealth.api.v1alpha1.Remediation;
import io.tcphealth.api.v1alpha1.TcpHealthNode;
import io.tcphealth.api.v1alpha1.TcpHealthNodeStatus;
import io.tcphealth.api.v1alpha1.TcpHealthPolicy;
import io.tcphealth.operator.TestObjects;
import io.tcphealth.operator.agent.AgentDemand;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FleetPlannerTest {

    private static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");
    private final List<Node> nodes = List.of(
            node("n1", Map.of("pool", "checkout")),
            node("n2", Map.of("pool", "checkout", "zone", "a")),
            node("n3", Map.of("pool", "batch")));

    @Test
    void eachMatchingNodeGetsTheMergedSpecOfItsPolicies() {
        TcpHealthPolicy checkout = policyOnPool("checkout", 1, "checkout");
        TcpHealthPolicy zoneA = TestObjects.policy(
                "zone-a",
                5,
                spec -> spec.setNodeSelector(
                        new LabelSelectorBuilder().addToMatchLabels("zone", "a").build()));

        FleetPlan plan = FleetPlanner.plan(List.of(checkout, zoneA), nodes, Map.of());

        assertThat(plan.nodeSpecs()).containsOnlyKeys("n1", "n2");
        assertThat(plan.nodeSpecs().get("n1").getPolicies()).containsExactly("checkout");
        assertThat(plan.nodeSpecs().get("n2").getPolicies()).containsExactly("zone-a", "checkout");
        assertThat(plan.obsoleteNodes()).isEmpty();
        assertThat(plan.drainingNodes()).isEmpty();
        assertThat(plan.demands()).extracting(AgentDemand::policyName).containsExactly("zone-a", "checkout");
    }

    @Test
    void tcpHealthNodesOfUnmatchedOrVanishedNodesAreObsolete() {
        Map<String, TcpHealthNode> existing = Map.of(
                "n3", tcpHealthNode("n3", List.of("checkout"), null),
                "gone", tcpHealthNode("gone", List.of("checkout"), null));

        FleetPlan plan = FleetPlanner.plan(List.of(policyOnPool("checkout", 0, "checkout")), nodes, existing);

        assertThat(plan.obsoleteNodes()).containsExactlyInAnyOrder("n3", "gone");
    }

    @Test
    void aDeletedPolicyDepartsWhileTheAgentHoldsItsChangesAndTheNodeKeepsItsAgent() {
        TcpHealthPolicy deleting = policyOnPool("checkout", 0, "checkout");
        deleting.getMetadata().setDeletionTimestamp("2026-06-01T11:59:00Z");
        Map<String, TcpHealthNode> existing = Map.of(
                "n1", tcpHealthNode("n1", List.of("checkout"), status(NOW, true, List.of("checkout"))),
                "n2", tcpHealthNode("n2", List.of("checkout"), status(NOW, true, List.of())));

        FleetPlan plan = FleetPlanner.plan(List.of(deleting), nodes, existing);

        assertThat(plan.nodeSpecs()).containsOnlyKeys("n1");
        assertThat(plan.nodeSpecs().get("n1").getPolicies()).isEmpty();
        assertThat(plan.nodeSpecs().get("n1").getDepartingPolicies())
                .extracting(PolicyRestore::getPolicy, PolicyRestore::getRestoreOnDelete)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("checkout", true));
        assertThat(plan.drainingNodes()).containsExactly("n1");
        assertThat(plan.obsoleteNodes()).containsExactly("n2");
        assertThat(plan.demands()).isEmpty();
    }

    @Test
    void nodesWhoseAgentStillHoldsPodNamespaceChangesAreListedAfterTheLastAllNamespacesPolicy() {
        // The AllNamespaces policy became Host-only: its pod-namespace sysctls are still to be put back on n1.
        TcpHealthPolicy hostOnly = policyOnPool("checkout", 0, "checkout");
        TcpHealthNodeStatus restoring = status(NOW, true, List.of("checkout"));
        restoring.setPodNamespaceChanges(2);
        TcpHealthNodeStatus done = status(NOW, true, List.of("checkout"));
        done.setPodNamespaceChanges(0);
        Map<String, TcpHealthNode> existing = Map.of(
                "n1", tcpHealthNode("n1", List.of("checkout"), restoring),
                "n2", tcpHealthNode("n2", List.of("checkout"), done));

        FleetPlan plan = FleetPlanner.plan(List.of(hostOnly), nodes, existing);

        assertThat(plan.demands()).noneMatch(AgentDemand::allNamespaces);
        assertThat(plan.podNamespaceRestores()).containsExactly("n1");
    }

    @Test
    void aDepartingPolicyWithoutRestoreOnDeleteSaysSo() {
        TcpHealthPolicy deleting = TestObjects.policy("keep", 0, spec -> {
            Remediation remediation = new Remediation();
            remediation.setRestoreOnDelete(false);
            spec.setRemediation(remediation);
        });
        deleting.getMetadata().setDeletionTimestamp("2026-06-01T11:59:00Z");
        TcpHealthPolicy other = policyOnPool("other", 0, "checkout");
        TcpHealthNode n1 = tcpHealthNode("n1", List.of("keep", "other"), status(NOW, true, List.of("keep", "other")));

        FleetPlan plan = FleetPlanner.plan(List.of(deleting, other), nodes, Map.of("n1", n1));

        assertThat(plan.nodeSpecs().get("n1").getPolicies()).containsExactly("other");
        assertThat(plan.nodeSpecs().get("n1").getDepartingPolicies())
                .extracting(PolicyRestore::getPolicy, PolicyRestore::getRestoreOnDelete)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("keep", false));
        assertThat(plan.drainingNodes()).isEmpty();
    }

    @Test
    void aRelabelledNodeDrainsUntilItsAgentLetsGoAndAPolicyGoneFromTheClusterNeverDeparts() {
        TcpHealthNode n3 = tcpHealthNode("n3", List.of("checkout"), status(NOW, true, List.of("checkout")));
        TcpHealthPolicy checkout = policyOnPool("checkout", 0, "checkout");

        FleetPlan holding = FleetPlanner.plan(List.of(checkout), nodes, Map.of("n3", n3));
        assertThat(holding.drainingNodes()).containsExactly("n3");
        assertThat(holding.nodeSpecs().get("n3").getDepartingPolicies())
                .extracting(PolicyRestore::getPolicy)
                .containsExactly("checkout");

        FleetPlan released = FleetPlanner.plan(List.of(), nodes, Map.of("n3", n3));
        assertThat(released.nodeSpecs()).isEmpty();
        assertThat(released.obsoleteNodes()).containsExactly("n3");
        assertThat(released.drainingNodes()).isEmpty();
    }

    @Test
    void whatTheAgentHoldsDecidesEvenWhenTheSpecNoLongerListsIt() {
        // The agent holds "old", which this node's spec has long forgotten; "old" still exists elsewhere.
        TcpHealthNode n1 = tcpHealthNode("n1", List.of("checkout"), status(NOW, true, List.of("checkout", "old")));
        TcpHealthPolicy old = policyOnPool("old", 0, "batch");

        FleetPlan plan =
                FleetPlanner.plan(List.of(policyOnPool("checkout", 0, "checkout"), old), nodes, Map.of("n1", n1));

        assertThat(plan.nodeSpecs().get("n1").getPolicies()).containsExactly("checkout");
        assertThat(plan.nodeSpecs().get("n1").getDepartingPolicies())
                .extracting(PolicyRestore::getPolicy)
                .containsExactly("old");
    }

    @Test
    void anInvalidPolicyIsAppliedNowhereAndReportsWhy() {
        TcpHealthPolicy bad = TestObjects.policy(
                "bad",
                100,
                spec -> spec.setNodeSelector(new LabelSelectorBuilder()
                        .addNewMatchExpression()
                        .withKey("pool")
                        .withOperator("Gt")
                        .withValues("1")
                        .endMatchExpression()
                        .build()));
        TcpHealthPolicy good = policyOnPool("good", 0, "checkout");

        FleetPlan plan = FleetPlanner.plan(List.of(bad, good), nodes, Map.of());

        assertThat(plan.problems()).containsOnlyKeys("bad");
        assertThat(plan.problems().get("bad")).singleElement().asString().contains("'Gt'");
        assertThat(plan.nodeSpecs().values())
                .allSatisfy(s -> assertThat(s.getPolicies()).containsExactly("good"));
        assertThat(plan.demands()).extracting(AgentDemand::policyName).containsExactly("good");
    }
}
