package io.tcphealth.agent.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.tcphealth.agent.diagnosis.FindingType;
import io.tcphealth.agent.socket.TcpState;
import io.tcphealth.api.v1alpha1.Severity;
import org.junit.jupiter.api.Test;

class MetricLabelsTest {

    @Test
    void labelValuesAreLowerCaseWithUnderscores() {
        assertThat(MetricLabels.of(TcpState.CLOSE_WAIT)).isEqualTo("close_wait");
        assertThat(MetricLabels.of(TcpState.FIN_WAIT1)).isEqualTo("fin_wait1");
        assertThat(MetricLabels.of(FindingType.CloseWaitLeak)).isEqualTo("close_wait_leak");
        assertThat(MetricLabels.of(FindingType.FinWait1Stuck)).isEqualTo("fin_wait1_stuck");
        assertThat(MetricLabels.of(FindingType.TcpMemoryPressure)).isEqualTo("tcp_memory_pressure");
        assertThat(MetricLabels.of(Severity.Critical)).isEqualTo("critical");
        assertThat(MetricLabels.of("KillSocket")).isEqualTo("kill_socket");
        assertThat(MetricLabels.of("DryRun")).isEqualTo("dry_run");
        assertThat(MetricLabels.of((String) null)).isEqualTo("unknown");
        for (FindingType t : FindingType.values()) {
            assertThat(MetricLabels.of(t)).matches("[a-z0-9_]+");
        }
    }
}
