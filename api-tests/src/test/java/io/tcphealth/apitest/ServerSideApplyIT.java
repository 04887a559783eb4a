package io.tcphealth.apitest;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.tcphealth.agent.cluster.KubeNodeStatusWriter;
import io.tcphealth.api.v1alpha1.TcpHealthNode;
import io.tcphealth.api.v1alpha1.TcpHealthNodeSpec;
import io.tcphealth.api.v1alpha1.TcpHealthNodeStatus;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The write paths on the real server, side by side on one TcpHealthNode: the operator's spec (its client's
 * edit, a JSON patch of the difference) and the agent's status (one JSON patch on /status) interleave without a
 * conflict or a lost update, because they touch different subresources and neither sends a resourceVersion; and server-side apply of the spec by the operator's field manager, which JOSDK would use by
 * default, works under the chart's RBAC too, but owns the whole spec (the CRDs' lists are atomic), so a second
 * writer of the spec would conflict where today's single writer cannot.
 */
class ServerSideApplyIT {

    static final String NODE = "ssa-1";
    private static ControlPlane plane;

    @BeforeAll
    static void start() {
        plane = SharedControlPlane.get();
        SharedControlPlane.chart();
    }

    @AfterEach
    void cleanUp() {
        plane.admin().resources(TcpHealthNode.class).withName(NODE).delete();
    }

    private static TcpHealthNode specOnly(List<String> policies) {
        TcpHealthNode node = new TcpHealthNode();
        node.getMetadata().setName(NODE);
        node.setSpec(new TcpHealthNodeSpec());
        node.getSpec().setPolicies(policies);
        return node;
    }

    @Test
    void specPatchesAndStatusPatchesInterleaveWithoutConflicts() {
        KubernetesClient admin = plane.admin();
        try (KubernetesClient operator = plane.client(
                Identities.unboundToken(admin, InstalledChart.OPERATOR_NAMESPACE, InstalledChart.OPERATOR_ACCOUNT))) {
            TcpHealthNode node = new TcpHealthNode();
            node.getMetadata().setName(NODE);
            node.setSpec(new TcpHealthNodeSpec());
            node.getSpec().setPolicies(List.of("a"));
            operator.resource(node).create();
            TcpHealthNodeStatus status = new TcpHealthNodeStatus();
            status.setAppliedPolicies(List.of("a"));
            KubeNodeStatusWriter agent = new KubeNodeStatusWriter(admin, NODE);
            for (int i = 0; i < 20; i++) {
                String policy = "p" + i;
                status.setObservedSpecGeneration((long) i);
                agent.write(status);
                operator.resources(TcpHealthNode.class).withName(NODE).edit(n -> {
                    n.getSpec().setPolicies(List.of(policy));
                    return n;
                });
            }
            TcpHealthNode last =
                    admin.resources(TcpHealthNode.class).withName(NODE).get();
            assertThat(last.getSpec().getPolicies()).containsExactly("p19");
            assertThat(last.getStatus().getObservedSpecGeneration()).isEqualTo(19L);
            assertThat(last.getStatus().getAppliedPolicies()).containsExactly("a");
        }
    }

    @Test
    void serverSideApplyOfTheSpecWorksUnderTheChartsRbacAndOwnsItWhole() {
        KubernetesClient admin = plane.admin();
        try (KubernetesClient operator = plane.client(
                Identities.unboundToken(admin, InstalledChart.OPERATOR_NAMESPACE, InstalledChart.OPERATOR_ACCOUNT))) {
            operator.resource(specOnly(List.of("a", "b")))
                    .fieldManager("tcphealthpolicy")
                    .forceConflicts()
                    .serverSideApply();
            TcpHealthNodeStatus status = new TcpHealthNodeStatus();
            status.setAppliedPolicies(List.of("a"));
            new KubeNodeStatusWriter(admin, NODE).write(status);
            operator.resource(specOnly(List.of("b")))
                    .fieldManager("tcphealthpolicy")
                    .forceConflicts()
                    .serverSideApply();

            TcpHealthNode node =
                    admin.resources(TcpHealthNode.class).withName(NODE).get();
            assertThat(node.getSpec().getPolicies()).containsExactly("b");
            assertThat(node.getStatus().getAppliedPolicies()).containsExactly("a");
            assertThat(node.getMetadata().getManagedFields())
                    .extracting(ManagedFieldsEntry::getManager)
                    .contains("tcphealthpolicy");

            // A second applier of the same atomic list conflicts unless it forces: the spec has one writer by design.
            try {
                admin.resource(specOnly(List.of("c")))
                        .fieldManager("someone-else")
                        .serverSideApply();
                throw new AssertionError("a second applier of spec.policies was not refused");
            } catch (io.fabric8.kubernetes.client.KubernetesClientException e) {
                assertThat(e.getCode()).isEqualTo(409);
                assertThat(e.getMessage()).contains("conflict").contains(".spec.policies");
            }
        }
    }
}
