package io.tcphealth.agent.diagnosis;

import io.tcphealth.agent.scan.NodeScan;
import io.tcphealth.api.v1alpha1.Severity;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns one scan into findings, most severe first. Pure: no I/O, same input, same output (who this command runs as is
 * read once, when it is made, for the hints about owners it could not see).
 */
public final class Diagnoser {
    /** Order matters only for detectors that read earlier findings (sysctl advice comes last). */
    private final List<Detector> detectors = List.of(
            new CloseWaitDetector(),
            new UnreadReceiveQueueDetector(),
            new FinWait1Detector(),
            new OrphanPressureDetector(),
            new PortOccupancyDetector(),
            new ZombieDetector(),
            new ZombieHoldsSocketsDetector(),
            new FdExhaustionDetector(),
            new EphemeralPortDetector(),
            new ListenQueueOverflowDetector(),
            new StalledConnectionDetector(),
            new ZeroWindowStallDetector(),
            new IdleWithoutKeepaliveDetector(),
            new TcpMemoryPressureDetector(),
            new SysctlDriftDetector());

    public List<Finding> diagnose(NodeScan scan, Ages ages, DiagnosisSettings settings) {
        ScanView view = new ScanView(scan, ages);
        List<Finding> findings = new ArrayList<>();
        for (Detector d : detectors) {
            findings.addAll(d.detect(view, settings, List.copyOf(findings)));
        }
        findings.sort(Finding.MOST_SEVERE_FIRST);
        return findings;
    }

    /** The worst severity among the findings, or null when there are none. */
    public static Severity worst(List<Finding> findings) {
        Severity worst = null;
        for (Finding f : findings) {
            worst = worst == null ? f.severity() : Severity.max(worst, f.severity());
        }
        return worst;
    }
}
