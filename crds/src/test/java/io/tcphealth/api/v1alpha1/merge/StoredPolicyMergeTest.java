package io.tcphealth.api.v1alpha1.merge;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.tcphealth.api.v1alpha1.Crds;
import io.tcphealth.api.v1alpha1.RemediationMode;
import io.tcphealth.api.v1alpha1.Scope;
import io.tcphealth.api.v1alpha1.Sourced;
import io.tcphealth.api.v1alpha1.StructuralSchema;
import io.tcphealth.api.v1alpha1.TcpHealthNodeSpec;
import io.tcphealth.api.v1alpha1.TcpHealthPolicy;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Policies as the API server stores them, with the committed CRD's defaults applied, merged: a key the user
 * left out stays out, so it can neither win nor conflict.
 */
class StoredPolicyMergeTest {

    private static final StructuralSchema SCHEMA = Crds.schema(TcpHealthPolicy.class);
    private static final KubernetesSerialization CLIENT = new KubernetesSerialization();

    private static TcpHealthPolicy stored(String yaml) throws Exception {
        JsonNode written = new com.fasterxml.jackson.databind.ObjectMapper(
                        new com.fasterxml.jackson.dataformat.yaml.YAMLFactory())
                .readTree(yaml);
        assertThat(SCHEMA.admit(written)).isEmpty();
        return CLIENT.convertValue(SCHEMA.withDefaults(written), TcpHealthPolicy.class);
    }

    @Test
    void aHigherPriorityPolicyThatSaysNothingLeavesTheExplicitValuesAlone() throws Exception {
        TcpHealthPolicy quiet = stored("""
        apiVersion: tcphealth.io/v1alpha1
        kind: TcpHealthPolicy
        metadata: {name: quiet}
        spec:
          priority: 100
        """);
        TcpHealthPolicy explicit = stored("""
        apiVersion: tcphealth.io/v1alpha1
        kind: TcpHealthPolicy
        metadata: {name: explicit}
        spec:
          priority: 1
          interval: 10s
          scope: AllNamespaces
          thresholds: {orphanRatioWarning: 0.1, orphanRatioCritical: 0.2}
          remediation:
            mode: Enforce
            killSockets: {states: [CLOSE_WAIT]}
        """);

        TcpHealthNodeSpec merged = PolicyMerge.merge(List.of(quiet, explicit));

        assertThat(merged.getConflicts()).isEmpty();
        assertThat(merged.getRemediation().getMode()).isEqualTo(new Sourced<>(RemediationMode.Enforce, "explicit"));
        assertThat(merged.getScope()).isEqualTo(new Sourced<>(Scope.AllNamespaces, "explicit"));
        assertThat(merged.getInterval()).isEqualTo(new Sourced<>("10s", "explicit"));
        assertThat(merged.getThresholds().getOrphanRatioWarning()).isEqualTo(new Sourced<>(0.1, "explicit"));
        assertThat(merged.getThresholds().getOrphanRatioCritical()).isEqualTo(new Sourced<>(0.2, "explicit"));
        // Inside a step the schema still fills in what the step's own defaults are: the step comes whole.
        assertThat(merged.getRemediation().getKillSockets().getValue().getOlderThan())
                .isEqualTo("10m");
    }

    @Test
    void storingAPolicyAddsNoValueToAnyMergedKey() throws Exception {
        TcpHealthPolicy empty = stored("""
        apiVersion: tcphealth.io/v1alpha1
        kind: TcpHealthPolicy
        metadata: {name: empty}
        """);

        assertThat(empty.getSpec().getInterval()).isNull();
        assertThat(empty.getSpec().getScope()).isNull();
        assertThat(empty.getSpec().getThresholds().getOrphanRatioWarning()).isNull();
        assertThat(empty.getSpec().getThresholds().getOrphanRatioCritical()).isNull();
        assertThat(empty.getSpec().getRemediation().getMode()).isNull();
        assertThat(empty.getSpec().getRemediation().getRestoreOnDelete())
                .as("per policy, not merged")
                .isTrue();
    }
}
