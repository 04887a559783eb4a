package io.tcphealth.apitest;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.tcphealth.api.v1alpha1.RemediationMode;
import io.tcphealth.api.v1alpha1.Scope;
import io.tcphealth.api.v1alpha1.Sourced;
import io.tcphealth.api.v1alpha1.TcpHealthNodeSpec;
import io.tcphealth.api.v1alpha1.TcpHealthPolicy;
import io.tcphealth.api.v1alpha1.merge.PolicyMerge;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Policies as the real API server stores them, its schema defaults applied, merged by the operator's merge: a
 * key the user did not write is not stored, so a higher-priority policy that says nothing about the mode does
 * not override (or conflict with) a lower-priority policy's explicit Enforce.
 */
class StoredPolicyMergeIT {

    private static final String QUIET = """
      apiVersion: tcphealth.io/v1alpha1
      kind: TcpHealthPolicy
      metadata: {name: merge-quiet}
      spec:
        priority: 100
        nodeSelector: {matchLabels: {tcphealth.io/pool: merge}}
      """;
    private static final String EXPLICIT = """
      apiVersion: tcphealth.io/v1alpha1
      kind: TcpHealthPolicy
      metadata: {name: merge-explicit}
      spec:
        priority: 1
        nodeSelector: {matchLabels: {tcphealth.io/pool: merge}}
        interval: 10s
        scope: AllNamespaces
        thresholds: {orphanRatioWarning: 0.1, orphanRatioCritical: 0.2}
        remediation:
          mode: Enforce
          killSockets: {states: [CLOSE_WAIT]}
      """;

    @Test
    void aValueTheServerDefaultedNeverBeatsAnExplicitOne() {
        KubernetesClient admin = SharedControlPlane.get().admin();
        try {
            for (String yaml : List.of(QUIET, EXPLICIT)) {
                admin.resource(admin.getKubernetesSerialization().unmarshal(yaml, GenericKubernetesResource.class))
                        .create();
            }
            TcpHealthPolicy quiet = admin.resources(TcpHealthPolicy.class)
                    .withName("merge-quiet")
                    .get();
            TcpHealthPolicy explicit = admin.resources(TcpHealthPolicy.class)
                    .withName("merge-explicit")
                    .get();

            // What the server stored for the quiet policy: its own defaults only where a merged key is not involved.
            assertThat(quiet.getSpec().getInterval()).isNull();
            assertThat(quiet.getSpec().getScope()).isNull();
            assertThat(quiet.getSpec().getRemediation().getMode()).isNull();
            assertThat(quiet.getSpec().getThresholds().getOrphanRatioWarning()).isNull();
            assertThat(quiet.getSpec().getRemediation().getRestoreOnDelete()).isTrue();

            TcpHealthNodeSpec merged = PolicyMerge.merge(List.of(quiet, explicit));

            assertThat(merged.getConflicts()).isEmpty();
            assertThat(merged.getPolicies()).containsExactly("merge-quiet", "merge-explicit");
            assertThat(merged.getRemediation().getMode())
                    .isEqualTo(new Sourced<>(RemediationMode.Enforce, "merge-explicit"));
            assertThat(merged.getScope()).isEqualTo(new Sourced<>(Scope.AllNamespaces, "merge-explicit"));
            assertThat(merged.getInterval()).isEqualTo(new Sourced<>("10s", "merge-explicit"));
            assertThat(merged.getThresholds().getOrphanRatioWarning()).isEqualTo(new Sourced<>(0.1, "merge-explicit"));
            // Inside a step the server fills in the step's own defaults: the step is merged whole.
            assertThat(merged.getRemediation().getKillSockets().getValue().getOlderThan())
                    .isEqualTo("10m");
        } finally {
            admin.resources(TcpHealthPolicy.class).withName("merge-quiet").delete();
            admin.resources(TcpHealthPolicy.class).withName("merge-explicit").delete();
        }
    }
}
