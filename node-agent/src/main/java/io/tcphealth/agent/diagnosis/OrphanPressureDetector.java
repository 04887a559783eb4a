package io.tcphealth.agent.diagnosis;

import io.tcphealth.agent.scan.NamespaceScan;
import io.tcphealth.api.v1alpha1.Severity;
import java.util.List;
import java.util.Locale;

/**
 * Orphaned sockets against {@code net.ipv4.tcp_max_orphans}. Both are host-wide: the orphan count
 * in {@code /proc/net/sockstat} is global even inside a namespace, and the sysctl exists only in
 * the initial namespace. Past the limit the kernel resets orphans at once ("too many orphaned
 * sockets"), which cuts off connections that were still draining.
 */
final class OrphanPressureDetector implements Detector {

    @Override
    public List<Finding> detect(ScanView view, DiagnosisSettings settings, List<Finding> earlier) {
        NamespaceScan host = view.scan().host().orElse(null);
        if (host == null
                || host.sockStat() == null
                || host.sysctls() == null
                || host.sysctls().maxOrphans() < 0) {
            return List.of();
        }
        long orphans = host.sockStat().orphans();
        long max = host.sysctls().maxOrphans();
        DiagnosisThresholds t = settings.thresholds();
        if (max == 0) {
            return List.of(ScanView.finding(
                    FindingType.OrphanPressure,
                    Severity.Warning,
                    orphans,
                    null,
                    null,
                    null,
                    host.namespace(),
                    null,
                    "net.ipv4.tcp_max_orphans is 0: the kernel resets every orphaned socket at once.",
                    "0 is only safe as a short pulse to flush stuck FIN_WAIT1 sockets; put the previous value back."));
        }
        if (orphans == 0) {
            return List.of();
        }
        double ratio = (double) orphans / max;
        Severity severity = ratio >= t.orphanRatioCritical()
                ? Severity.Critical
                : ratio >= t.orphanRatioWarning() ? Severity.Warning : Severity.Info;
        // sockstat's orphan count is the whole machine's, whichever namespace reads it (as is
        // tcp_max_orphans); the sockets each scanned namespace lists tell its own share.
        StringBuilder perNamespace = new StringBuilder();
        for (NamespaceScan ns : view.scan().namespaces()) {
            long own = ns.sockets().stream()
                    .filter(io.tcphealth.agent.socket.TcpSocket::isOrphan)
                    .count();
            if (own > 0) {
                perNamespace
                        .append(perNamespace.isEmpty() ? "" : ", ")
                        .append(own)
                        .append(" in ")
                        .append(ns.namespace().label());
            }
        }
        String message = String.format(
                        Locale.ROOT,
                        "%d orphaned sockets on the whole host (the kernel counts them host-wide), %.1f%% of tcp_max_orphans (%d)."
                                + " Past the limit the kernel resets orphans at once.",
                        orphans,
                        ratio * 100,
                        max)
                + (perNamespace.isEmpty()
                        ? " None of them is in the namespaces scanned."
                        : " In the namespaces scanned: " + perNamespace + ".");
        String next = severity == Severity.Info
                ? "Nothing to do yet."
                : "Find who closes sockets with unsent data (see FinWait1Stuck findings). Lower tcp_orphan_retries so orphans go"
                        + " sooner; raise tcp_max_orphans only if memory allows (each orphan can pin up to 64 KiB).";
        return List.of(ScanView.finding(
                FindingType.OrphanPressure,
                severity,
                orphans,
                null,
                null,
                null,
                host.namespace(),
                null,
                message,
                next));
    }
}
