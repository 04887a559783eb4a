package io.tcphealth.agent.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.tcphealth.api.v1alpha1.NodeFinding;
import io.tcphealth.api.v1alpha1.Severity;
import io.tcphealth.api.v1alpha1.TcpHealthNodeStatus;
import java.util.List;
import org.junit.jupiter.api.Test;

class StatusChangeTest {
    private final StatusChange change = new StatusChange();

    @Test
    void timesAndSmallCountWobblesAreNotNews() {
        TcpHealthNodeStatus a = StatusPublisherTest.status(100, "2026-01-01T00:00:00Z");
        TcpHealthNodeStatus b = StatusPublisherTest.status(104, "2026-01-01T00:00:30Z");
        b.setHeartbeat("2026-01-01T00:00:31Z");
        assertThat(change.material(a, b)).isFalse();
        assertThat(change.material(a, StatusPublisherTest.status(150, "x"))).isTrue();
        assertThat(change.material(null, a)).isTrue();
    }

    @Test
    void aFindingThatAppearsOrChangesSeverityIsNewsItsAgeIsNot() {
        TcpHealthNodeStatus a = StatusPublisherTest.status(100, "t");
        TcpHealthNodeStatus b = StatusPublisherTest.status(100, "t");
        b.setFindings(List.of(finding(Severity.Warning, 60L)));
        assertThat(change.material(a, b)).isTrue();
        TcpHealthNodeStatus c = StatusPublisherTest.status(100, "t");
        c.setFindings(List.of(finding(Severity.Warning, 3600L)));
        assertThat(change.material(b, c)).isFalse();
        TcpHealthNodeStatus d = StatusPublisherTest.status(100, "t");
        d.setFindings(List.of(finding(Severity.Critical, 3600L)));
        assertThat(change.material(c, d)).isTrue();
        d.setAppliedPolicies(List.of("checkout"));
        assertThat(change.material(c, d)).isTrue();
    }

    private static NodeFinding finding(Severity severity, Long age) {
        NodeFinding f = new NodeFinding();
        f.setType("CloseWaitLeak");
        f.setSeverity(severity);
        f.setCount(300);
        f.setPort(9080);
        f.setAgeSeconds(age);
        return f;
    }
}
