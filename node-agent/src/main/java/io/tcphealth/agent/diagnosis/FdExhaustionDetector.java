package io.tcphealth.agent.diagnosis;

import io.tcphealth.agent.proc.ProcessInfo;
import io.tcphealth.api.v1alpha1.Severity;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Processes near their soft {@code RLIMIT_NOFILE}: leaked sockets are file descriptors too. */
final class FdExhaustionDetector implements Detector {

    @Override
    public List<Finding> detect(ScanView view, DiagnosisSettings settings, List<Finding> earlier) {
        DiagnosisThresholds t = settings.thresholds();
        List<Finding> findings = new ArrayList<>();
        for (ProcessInfo p : view.scan().processes().values()) {
            if (p.openFds() < 0 || p.fdSoftLimit() <= 0 || p.isZombie() || p.kernelThread()) {
                continue;
            }
            double ratio = (double) p.openFds() / p.fdSoftLimit();
            if (ratio < t.fdUsageWarning()) {
                continue;
            }
            Severity severity = ratio >= t.fdUsageCritical() ? Severity.Critical : Severity.Warning;
            String message = String.format(
                    Locale.ROOT,
                    "%s has %d of %d file descriptors open (%.0f%%).",
                    ScanView.describe(p),
                    p.openFds(),
                    p.fdSoftLimit(),
                    ratio * 100);
            String next =
                    "At the limit, accept() and open() fail with EMFILE. Look for leaked sockets first (CLOSE_WAIT"
                            + " findings); raise the limit (LimitNOFILE, ulimit -n) only once the leak is understood.";
            findings.add(ScanView.finding(
                    FindingType.FdExhaustionRisk, severity, p.openFds(), null, null, p, null, null, message, next));
        }
        return findings;
    }
}
