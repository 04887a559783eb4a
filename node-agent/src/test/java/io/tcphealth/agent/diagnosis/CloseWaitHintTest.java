package io.tcphealth.agent.diagnosis;

import static org.assertj.core.api.Assertions.assertThat;

import io.tcphealth.agent.proc.Privileges;
import io.tcphealth.agent.socket.TcpState;
import java.util.List;
import org.junit.jupiter.api.Test;

/** CLOSE_WAIT sockets nobody could be found holding: the next step fits who ran the scan. */
class CloseWaitHintTest {
    private static Finding ownerless(Privileges privileges) {
        ScanFixture f = new ScanFixture().sockets(12, TcpState.CLOSE_WAIT, 9080, 0, 0);
        List<Finding> findings = new CloseWaitDetector(privileges)
                .detect(new ScanView(f.build(), Ages.UNKNOWN), DiagnosisSettings.defaults(), List.of());
        assertThat(findings).singleElement();
        assertThat(findings.get(0).message()).contains("held by no process that could be identified");
        return findings.get(0);
    }

    @Test
    void anOrdinaryUserIsToldToRunAsRoot() {
        assertThat(ownerless(new Privileges(false, false)).nextStep()).startsWith("Run as root");
    }

    @Test
    void rootWithoutPtraceIsToldWhichCapabilityIsMissing() {
        assertThat(ownerless(new Privileges(true, false)).nextStep())
                .doesNotContain("Run as root")
                .contains("without CAP_SYS_PTRACE");
    }

    @Test
    void rootWithPtraceIsToldWhatElseHidesTheOwner() {
        assertThat(ownerless(new Privileges(true, true)).nextStep())
                .doesNotContain("Run as root")
                .contains("Privileges are not the cause")
                .contains("PID namespace")
                .contains("listener's queue");
    }
}
