package io.tcphealth.api.v1alpha1;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The condition reasons are part of the API (users' alerts and kubectl output match on them): their values are
 * pinned here, and each is one the API server accepts in a condition.
 */
class ConditionReasonsTest {

    /** metav1.Condition's validation of {@code reason}. */
    private static final String KUBERNETES_REASON = "[A-Za-z]([A-Za-z0-9_,:]*[A-Za-z0-9_])?";

    @Test
    void theReleasedReasonsKeepTheirValues() throws IllegalAccessException {
        assertThat(reasons())
                .isEqualTo(new TreeMap<>(Map.ofEntries(
                        Map.entry("INVALID_SPEC", "InvalidSpec"),
                        Map.entry("NO_MATCHING_NODES", "NoMatchingNodes"),
                        Map.entry("WAITING_FOR_AGENTS", "WaitingForAgents"),
                        Map.entry("IN_FORCE", "InForce"),
                        Map.entry("AS_EXPECTED", "AsExpected"),
                        Map.entry("NODES_UNHEALTHY", "NodesUnhealthy"),
                        Map.entry("AGENTS_STALE", "AgentsStale"),
                        Map.entry("NO_CONFLICT", "NoConflict"),
                        Map.entry("OVERRIDDEN", "Overridden"),
                        Map.entry("NO_PROBLEMS", "NoProblems"),
                        Map.entry("WARNING_FINDINGS", "WarningFindings"),
                        Map.entry("CRITICAL_FINDINGS", "CriticalFindings"),
                        Map.entry("NOT_APPLIED", "NotApplied"),
                        Map.entry("ACTIONS_TAKEN", "ActionsTaken"),
                        Map.entry("IDLE", "Idle"),
                        Map.entry("SCANNING", "Scanning"),
                        Map.entry("SPEC_REFUSED", "SpecRefused"))));
    }

    @Test
    void everyReasonIsOneTheApiServerAccepts() throws IllegalAccessException {
        assertThat(reasons().values())
                .allSatisfy(
                        reason -> assertThat(reason).matches(KUBERNETES_REASON).hasSizeLessThanOrEqualTo(1024));
    }

    private static Map<String, String> reasons() throws IllegalAccessException {
        Map<String, String> reasons = new TreeMap<>();
        for (Field field : ConditionReasons.class.getDeclaredFields()) {
            if (Modifier.isStatic(field.getModifiers()) && field.getType() == String.class) {
                reasons.put(field.getName(), (String) field.get(null));
            }
        }
        return reasons;
    }
}
