package io.tcphealth.agent.diagnosis;

import io.tcphealth.agent.proc.ProcessInfo;
import io.tcphealth.agent.proc.TcpCounter;
import io.tcphealth.agent.scan.NamespaceScan;
import io.tcphealth.agent.socket.TcpSocket;
import io.tcphealth.agent.socket.TcpState;
import io.tcphealth.api.v1alpha1.Severity;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * TCP memory against {@code net.ipv4.tcp_mem}. Both are host-wide: sockstat's {@code mem} (pages)
 * counts every namespace's TCP buffers and {@code tcp_mem} exists only in the initial namespace.
 * Past {@code tcp_mem[1]} TCP is under memory pressure (the kernel shrinks buffers and windows,
 * throughput collapses); past {@code tcp_mem[2]} it refuses memory and resets connections
 * ({@code TCPAbortOnMemory}, "out of memory -- consider tuning tcp_mem"). The processes whose sockets
 * hold the most memory are named: sock_diag's per-socket memory (received and unread, queued to send,
 * reserved ahead), summed per owner; the queues' byte counts where the kernel gave no memory record.
 */
final class TcpMemoryPressureDetector implements Detector {
    private static final int TOP = 3;

    @Override
    public List<Finding> detect(ScanView view, DiagnosisSettings settings, List<Finding> earlier) {
        NamespaceScan host = view.scan().host().orElse(null);
        if (host == null
                || host.sockStat() == null
                || host.limits() == null
                || host.limits().tcpMemPressure() <= 0) {
            return List.of();
        }
        long pages = host.sockStat().memPages();
        long pressure = host.limits().tcpMemPressure();
        long pressures = 0;
        long aborts = 0;
        for (NamespaceScan ns : view.scan().namespaces()) {
            if (ns.counters() != null) {
                pressures += ns.counters().rise(TcpCounter.MEMORY_PRESSURES);
                aborts += ns.counters().rise(TcpCounter.ABORT_ON_MEMORY);
            }
        }
        double ratio = (double) pages / pressure;
        Severity severity = ratio >= 1 || aborts > 0
                ? Severity.Critical
                : ratio >= settings.thresholds().connections().tcpMemoryRatioWarning() || pressures > 0
                        ? Severity.Warning
                        : null;
        if (severity == null) {
            return List.of();
        }
        List<Holder> top = holders(view);
        ProcessInfo first = top.isEmpty() ? null : top.getFirst().owner;
        StringBuilder message = new StringBuilder(String.format(
                Locale.ROOT,
                "TCP buffers use %d pages (%d KiB), %.0f%% of tcp_mem's pressure threshold (%d pages; the hard limit is %d).",
                pages,
                pages * 4,
                ratio * 100,
                pressure,
                host.limits().tcpMemMax()));
        if (pressures > 0 || aborts > 0) {
            message.append(" Since the last scan TCP entered memory pressure ")
                    .append(pressures)
                    .append(" times and reset ")
                    .append(aborts)
                    .append(" connections for lack of memory (TCPMemoryPressures, TCPAbortOnMemory).");
        }
        if (!top.isEmpty()) {
            message.append(" Most socket memory: ");
            for (int i = 0; i < top.size(); i++) {
                Holder h = top.get(i);
                message.append(i == 0 ? "" : ", ")
                        .append(ScanView.describe(h.owner))
                        .append(' ')
                        .append(h.bytes / 1024)
                        .append(" KiB");
            }
            message.append('.');
        }
        String next = (first == null
                        ? "Find the sockets with the most memory (ss -tmn)"
                        : "Look at " + first.comm() + " first: its sockets hold the most memory")
                + ". Queues that never drain are a reader that"
                + " stopped (UnreadReceiveQueue, ZeroWindowStall); raise tcp_mem only when the load is legitimate and memory allows.";
        return List.of(ScanView.finding(
                FindingType.TcpMemoryPressure,
                severity,
                pages,
                null,
                null,
                first,
                host.namespace(),
                null,
                message.toString(),
                next));
    }

    /** Socket memory of the sockets whose owner is known, summed per process, largest first. */
    private static List<Holder> holders(ScanView view) {
        Map<Integer, Holder> byPid = new HashMap<>();
        for (NamespaceScan ns : view.scan().namespaces()) {
            for (TcpSocket s : ns.sockets()) {
                long bytes = memory(s);
                if (bytes == 0) {
                    continue;
                }
                ProcessInfo owner = view.owner(s);
                if (owner != null) {
                    byPid.computeIfAbsent(owner.pid(), p -> new Holder(owner)).bytes += bytes;
                }
            }
        }
        return byPid.values().stream()
                .sorted(Comparator.comparingLong((Holder h) -> h.bytes).reversed())
                .limit(TOP)
                .toList();
    }

    /** What the socket holds of TCP's memory: received, queued to send and reserved; else its queues. */
    static long memory(TcpSocket s) {
        if (s.memory() != null) {
            return s.memory().receiveAllocated()
                    + s.memory().sendQueued()
                    + s.memory().forwardAlloc();
        }
        return s.state() == TcpState.LISTEN ? 0 : s.recvQueue() + s.sendQueue();
    }

    private static final class Holder {
        final ProcessInfo owner;
        long bytes;

        Holder(ProcessInfo owner) {
            this.owner = owner;
        }
    }
}
