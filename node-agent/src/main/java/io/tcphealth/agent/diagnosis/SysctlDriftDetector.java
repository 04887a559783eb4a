package io.tcphealth.agent.diagnosis;

import io.tcphealth.agent.proc.TcpSysctls;
import io.tcphealth.agent.scan.NamespaceScan;
import io.tcphealth.api.v1alpha1.Severity;
import java.util.ArrayList;
import java.util.List;

/**
 * Sysctls that make the trouble found elsewhere in the same namespace last longer than it needs
 * to. These are advice: the sysctl is not the cause, so the finding is never worse than Info.
 */
final class SysctlDriftDetector implements Detector {

    @Override
    public List<Finding> detect(ScanView view, DiagnosisSettings settings, List<Finding> earlier) {
        List<Finding> findings = new ArrayList<>();
        for (NamespaceScan ns : view.scan().namespaces()) {
            TcpSysctls sys = ns.sysctls();
            if (sys == null) {
                continue;
            }
            String label = ns.namespace().label();
            long closeWait = worrying(earlier, FindingType.CloseWaitLeak, label);
            if (closeWait > 0 && sys.keepaliveTime() == TcpSysctls.KEEPALIVE_TIME_DEFAULT) {
                findings.add(
                        ScanView.finding(
                                FindingType.SysctlDrift,
                                Severity.Info,
                                closeWait,
                                null,
                                null,
                                null,
                                ns.namespace(),
                                null,
                                "net.ipv4.tcp_keepalive_time is the 7200 s default in " + label
                                        + " while CLOSE_WAIT sockets pile up: dead peers go unnoticed for over two hours.",
                                "Consider keepalive 600/15/3 (time/intvl/probes), for example through a TcpHealthPolicy's spec.sysctls."
                                        + " It helps only sockets with SO_KEEPALIVE; the fix is closing sockets in the application."));
            }
            long finWait1 = worrying(earlier, FindingType.FinWait1Stuck, label);
            if (finWait1 > 0 && (sys.orphanRetries() == 0 || sys.orphanRetries() > 3)) {
                String value = sys.orphanRetries() == 0
                        ? "0 (which the kernel treats as 8)"
                        : String.valueOf(sys.orphanRetries());
                findings.add(
                        ScanView.finding(
                                FindingType.SysctlDrift,
                                Severity.Info,
                                finWait1,
                                null,
                                null,
                                null,
                                ns.namespace(),
                                null,
                                "net.ipv4.tcp_orphan_retries is " + value + " in " + label
                                        + ": orphaned FIN_WAIT1 sockets keep probing for minutes before the kernel gives up.",
                                "Consider tcp_orphan_retries 1-3 in this namespace so orphans stuck on a zero window go sooner."));
            }
        }
        return findings;
    }

    /** Sockets in Warning-or-worse findings of one type in one namespace. */
    private static long worrying(List<Finding> findings, FindingType type, String netns) {
        return findings.stream()
                .filter(f -> f.type() == type
                        && netns.equals(f.netns())
                        && f.severity().atLeast(Severity.Warning))
                .mapToLong(Finding::count)
                .sum();
    }
}
