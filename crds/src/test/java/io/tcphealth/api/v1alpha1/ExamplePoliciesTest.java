package io.tcphealth.api.v1alpha1;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every policy under examples/ is accepted by the committed CRD, defaults and CEL rules included. */
class ExamplePoliciesTest {

    private static final StructuralSchema SCHEMA = Crds.schema(TcpHealthPolicy.class);

    static List<Path> examples() throws IOException {
        try (Stream<Path> files = Files.list(CrdLayout.examplesDir())) {
            return files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
        }
    }

    @Test
    void examplesArePresent() throws IOException {
        assertThat(examples())
                .extracting(p -> p.getFileName().toString())
                .contains("observe-all-nodes.yaml", "checkout-dry-run.yaml", "checkout-enforce.yaml");
    }

    @ParameterizedTest
    @MethodSource("examples")
    void exampleIsAccepted(Path example) {
        JsonNode policy = Crds.yaml(example);

        assertThat(policy.path("kind").asText()).isEqualTo("TcpHealthPolicy");
        assertThat(policy.path("apiVersion").asText()).isEqualTo("tcphealth.io/v1alpha1");
        assertThat(SCHEMA.admit(policy))
                .as("violations of %s", example.getFileName())
                .isEmpty();
    }

    @ParameterizedTest
    @MethodSource("examples")
    void javaDefaultsAgreeWithSchemaDefaults(Path example) {
        JsonNode raw = Crds.yaml(example);

        TcpHealthPolicy asWritten = Crds.SERIALIZATION.convertValue(raw, TcpHealthPolicy.class);
        TcpHealthPolicy asStored = Crds.SERIALIZATION.convertValue(SCHEMA.withDefaults(raw), TcpHealthPolicy.class);

        assertThat(asWritten.getSpec()).isEqualTo(asStored.getSpec());
    }

    @Test
    void checkoutCaseReadsAsTheFieldReport() {
        TcpHealthPolicy policy = Crds.SERIALIZATION.convertValue(
                Crds.yaml(CrdLayout.examplesDir().resolve("checkout-enforce.yaml")), TcpHealthPolicy.class);
        TcpHealthPolicySpec spec = policy.getSpec();

        assertThat(spec.getNodeSelector().getMatchLabels()).isEqualTo(Map.of("tcphealth.io/pool", "checkout"));
        assertThat(spec.getPorts()).containsExactly(9080);
        assertThat(spec.getSysctls().getTcpKeepaliveTime()).isEqualTo(600);
        assertThat(spec.getSysctls().getTcpKeepaliveIntvl()).isEqualTo(15);
        assertThat(spec.getSysctls().getTcpKeepaliveProbes()).isEqualTo(3);
        assertThat(spec.getRemediation().getMode()).isEqualTo(RemediationMode.Enforce);
        assertThat(spec.getRemediation().getKillSockets().getStates())
                .containsExactly(SocketState.CLOSE_WAIT, SocketState.FIN_WAIT1);
        assertThat(spec.getRemediation().getFlushOrphans().getEnabled()).isTrue();
        assertThat(GoDuration.parse(spec.getRemediation().getFlushOrphans().getMaxDuration()))
                .hasSeconds(10);
    }

    @Test
    void dryRunDiffersFromEnforceOnlyInModeAndTheGlobalKnobs() {
        TcpHealthPolicySpec dryRun = Crds.SERIALIZATION
                .convertValue(
                        SCHEMA.withDefaults(Crds.yaml(CrdLayout.examplesDir().resolve("checkout-dry-run.yaml"))),
                        TcpHealthPolicy.class)
                .getSpec();
        TcpHealthPolicySpec enforce = Crds.SERIALIZATION
                .convertValue(
                        SCHEMA.withDefaults(Crds.yaml(CrdLayout.examplesDir().resolve("checkout-enforce.yaml"))),
                        TcpHealthPolicy.class)
                .getSpec();

        assertThat(dryRun.getRemediation().getMode()).isEqualTo(RemediationMode.DryRun);
        dryRun.getRemediation().setMode(RemediationMode.Enforce);
        dryRun.getSysctls().setTcpMaxOrphans(enforce.getSysctls().getTcpMaxOrphans());
        assertThat(dryRun).isEqualTo(enforce);
    }

    @Test
    void observeExampleChangesNothing() {
        TcpHealthPolicy policy = Crds.SERIALIZATION.convertValue(
                SCHEMA.withDefaults(Crds.yaml(CrdLayout.examplesDir().resolve("observe-all-nodes.yaml"))),
                TcpHealthPolicy.class);

        assertThat(policy.getSpec().getNodeSelector()).isNull();
        assertThat(policy.getSpec().getRemediation().getMode()).isEqualTo(RemediationMode.Observe);
        assertThat(policy.getSpec().getSysctls()).isNull();
        assertThat(policy.getSpec().getRemediation().getKillSockets()).isNull();
    }
}
