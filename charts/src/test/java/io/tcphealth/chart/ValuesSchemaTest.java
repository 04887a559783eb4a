package io.tcphealth.chart;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Wrong values stop {@code helm install} with a message that names the value. */
class ValuesSchemaTest {

    static Stream<Arguments> wrongValues() {
        return Stream.of(
                Arguments.of("operator.replicas", 0, "replicas"),
                Arguments.of("operator.image.pullPolicy", "Sometimes", "pullPolicy"),
                Arguments.of("agent.image.pullPolicy", "always", "pullPolicy"),
                Arguments.of("operator.metricsPort", 80, "metricsPort"),
                Arguments.of("agent.metricsPort", 70000, "metricsPort"),
                Arguments.of("agent.resources.limits.memory", "lots", "memory"),
                Arguments.of("agent.journalHostPath", "var/lib/tcphealth", "journalHostPath"),
                Arguments.of("agent.journalHostPath", "/var/../etc", "journalHostPath"),
                Arguments.of("agent.heartbeat", "5 minutes", "heartbeat"),
                Arguments.of("agent.tolerations[0].operator", "In", "operator"),
                Arguments.of("agent.tolerations[0].effect", "NoEntry", "effect"),
                Arguments.of("agent.serviceAccountName", "Agent_SA", "serviceAccountName"),
                Arguments.of("namespaces.agent", "Tcphealth", "agent"),
                Arguments.of("operator.logLevel", "verbose", "logLevel"),
                Arguments.of("defaultPolicy.scope", "Cluster", "scope"),
                Arguments.of("defaultPolicy.priority", 5000, "priority"),
                Arguments.of("defaultPolicy.interval", "soon", "interval"),
                Arguments.of("metrics.serviceMonitor.enabeld", true, "enabeld"),
                Arguments.of("agent.imag.repository", "x", "imag"),
                Arguments.of("operator.javaOptions", "Xmx64m", "javaOptions"));
    }

    @ParameterizedTest(name = "{0}={1}")
    @MethodSource("wrongValues")
    void wrongValueIsRejectedNamingIt(String key, Object value, String named) {
        assertThatThrownBy(() -> RenderedChart.render(Map.of(key, value))).hasMessageContaining(named);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("contradictions")
    void contradictoryValuesAreRejectedWithTheReason(Map<String, Object> sets, String reason) {
        assertThatThrownBy(() -> RenderedChart.render(sets)).hasMessageContaining(reason);
    }

    static Stream<Arguments> contradictions() {
        return Stream.of(
                Arguments.of(Map.of("namespaces.agent", "tcphealth-system"), "must differ"),
                Arguments.of(Map.of("operator.replicas", 2, "operator.leaderElection", false), "leaderElection=true"));
    }
}
