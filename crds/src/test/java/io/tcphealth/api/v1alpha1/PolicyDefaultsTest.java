package io.tcphealth.api.v1alpha1;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The keys the operator merges across policies have no schema default (a stored default would look written
 * and win over another policy's explicit value), yet {@code kubectl explain} still tells their defaults.
 */
class PolicyDefaultsTest {

    @ParameterizedTest
    @CsvSource({
        "interval, " + PolicyDefaults.INTERVAL,
        "scope, " + PolicyDefaults.SCOPE_NAME,
        "thresholds.orphanRatioWarning, " + PolicyDefaults.ORPHAN_RATIO_WARNING,
        "thresholds.orphanRatioCritical, " + PolicyDefaults.ORPHAN_RATIO_CRITICAL,
        "thresholds.closeWaitPerProcess, " + PolicyDefaults.CLOSE_WAIT_PER_PROCESS,
        "thresholds.stuckAfter, " + PolicyDefaults.STUCK_AFTER,
        "thresholds.ephemeralPortRatioWarning, " + PolicyDefaults.EPHEMERAL_PORT_RATIO_WARNING,
        "thresholds.ephemeralPortRatioCritical, " + PolicyDefaults.EPHEMERAL_PORT_RATIO_CRITICAL,
        "thresholds.listenOverflowsPerScan, " + PolicyDefaults.LISTEN_OVERFLOWS_PER_SCAN,
        "thresholds.stalledRetransmits, " + PolicyDefaults.STALLED_RETRANSMITS,
        "thresholds.zeroWindowProbes, " + PolicyDefaults.ZERO_WINDOW_PROBES,
        "thresholds.tcpMemoryRatioWarning, " + PolicyDefaults.TCP_MEMORY_RATIO_WARNING,
        "thresholds.idleWithoutKeepaliveAfter, " + PolicyDefaults.IDLE_WITHOUT_KEEPALIVE_AFTER,
        "remediation.mode, " + PolicyDefaults.MODE_NAME,
    })
    void aMergedKeyHasNoSchemaDefaultButItsDescriptionTellsIt(String path, String value) {
        JSONSchemaProps field = specField(path);

        assertThat(field.getDefault()).as("default of spec.%s", path).isNull();
        assertThat(field.getDescription()).as("description of spec.%s", path).contains("nset: " + value);
    }

    @ParameterizedTest
    @CsvSource({
        "remediation.killSockets.olderThan, " + PolicyDefaults.KILL_OLDER_THAN,
        "remediation.flushOrphans.cooldown, " + PolicyDefaults.FLUSH_COOLDOWN,
        "remediation.zombies.olderThan, " + PolicyDefaults.ZOMBIES_OLDER_THAN,
    })
    void aStepsOwnFieldsKeepTheirSchemaDefaultFromTheSameConstant(String path, String value) {
        JSONSchemaProps field = specField(path);

        assertThat(field.getDefault()).as("default of spec.%s", path).hasToString("\"" + value + "\"");
        assertThat(field.getDescription()).contains("default " + value);
    }

    @Test
    void theNamesOfTheEnumDefaultsAreTheirConstants() {
        assertThat(PolicyDefaults.SCOPE.name()).isEqualTo(PolicyDefaults.SCOPE_NAME);
        assertThat(PolicyDefaults.MODE.name()).isEqualTo(PolicyDefaults.MODE_NAME);
    }

    private static JSONSchemaProps specField(String path) {
        JSONSchemaProps at = Crds.committed(TcpHealthPolicy.class)
                .getSpec()
                .getVersions()
                .getFirst()
                .getSchema()
                .getOpenAPIV3Schema()
                .getProperties()
                .get("spec");
        for (String name : path.split("\\.")) {
            at = at.getProperties().get(name);
            assertThat(at).as("spec.%s in the committed CRD", path).isNotNull();
        }
        return at;
    }
}
