package io.tcphealth.agent.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.tcphealth.agent.loop.RoundRemedy;
import io.tcphealth.api.v1alpha1.PolicyRestore;
import io.tcphealth.api.v1alpha1.TcpHealthNodeSpec;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Which policies a node reports as applied: the operator waits for a departing policy to drop out of the list. */
class NodeStatusSinkTest {

    @Test
    void aDepartingPolicyStaysAppliedWhileTheJournalHoldsItsChanges() {
        TcpHealthNodeSpec leaving = new TcpHealthNodeSpec();
        leaving.setPolicies(List.of("base"));
        leaving.setDepartingPolicies(List.of(new PolicyRestore("keepalive", true)));

        assertThat(NodeStatusSink.applied(leaving, held("keepalive", "base")))
                .containsExactlyInAnyOrder("base", "keepalive");
        assertThat(NodeStatusSink.applied(leaving, held("base")))
                .as("nothing of it held any more: the departure is confirmed")
                .containsExactly("base");
    }

    @Test
    void aDepartingPolicyThatKeepsItsValuesIsConfirmedAtOnce() {
        TcpHealthNodeSpec leaving = new TcpHealthNodeSpec();
        leaving.setDepartingPolicies(List.of(new PolicyRestore("keepalive", false)));

        assertThat(NodeStatusSink.applied(leaving, held("keepalive"))).isEmpty();
    }

    @Test
    void aPolicyNeitherInForceNorDepartingIsNotReportedEvenIfHeld() {
        TcpHealthNodeSpec spec = new TcpHealthNodeSpec();
        spec.setPolicies(List.of("base"));

        assertThat(NodeStatusSink.applied(spec, held("stale"))).containsExactly("base");
    }

    private static RoundRemedy held(String... policies) {
        return new RoundRemedy(List.of(), List.of(), List.of(), List.of(), List.of(), Set.of(policies), 0);
    }
}
