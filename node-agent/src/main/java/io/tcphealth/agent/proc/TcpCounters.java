package io.tcphealth.agent.proc;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;

/**
 * One namespace's TCP counters at one scan, and how much each rose since the scan before.
 *
 * @param values        each counter as the kernel reports it (cumulative since the namespace was made)
 * @param sincePrevious the rise since the previous scan of the same namespace; null on its first scan
 *                      (a rise needs two readings)
 * @param seconds       seconds between the two readings, 0 on the first scan
 */
public record TcpCounters(Map<TcpCounter, Long> values, Map<TcpCounter, Long> sincePrevious, long seconds) {

    public TcpCounters {
        values = Collections.unmodifiableMap(copy(values));
        sincePrevious = sincePrevious == null ? null : Collections.unmodifiableMap(copy(sincePrevious));
    }

    private static Map<TcpCounter, Long> copy(Map<TcpCounter, Long> from) {
        Map<TcpCounter, Long> out = new EnumMap<>(TcpCounter.class);
        out.putAll(from);
        return out;
    }

    /** Reads {@code net/snmp} and {@code net/netstat} under {@code netDir} ({@code /proc/thread-self/net}). */
    public static TcpCounters read(ProcFs procFs, Path netDir) throws IOException {
        Path snmp = netDir.resolve("snmp");
        Path netstat = netDir.resolve("netstat");
        Map<String, Long> all = new java.util.HashMap<>(NetStatTables.parse(snmp.toString(), procFs.read(snmp)));
        all.putAll(NetStatTables.parse(netstat.toString(), procFs.read(netstat)));
        return of(all);
    }

    /** The counters tcphealth keeps out of a parsed table; one a kernel does not have is left out. */
    public static TcpCounters of(Map<String, Long> table) {
        Map<TcpCounter, Long> values = new EnumMap<>(TcpCounter.class);
        for (TcpCounter c : TcpCounter.values()) {
            Long v = table.get(c.qualifiedName());
            if (v != null) {
                values.put(c, v);
            }
        }
        return new TcpCounters(values, null, 0);
    }

    /**
     * These values with their rise since {@code previous}. A counter that went down means the
     * namespace is not the one read before (its inode was reused): no rise is claimed then.
     */
    public TcpCounters since(TcpCounters previous, long secondsBetween) {
        if (previous == null) {
            return new TcpCounters(values, null, 0);
        }
        Map<TcpCounter, Long> rise = new EnumMap<>(TcpCounter.class);
        for (Map.Entry<TcpCounter, Long> e : values.entrySet()) {
            Long before = previous.values.get(e.getKey());
            if (before == null) {
                continue;
            }
            if (e.getValue() < before) {
                return new TcpCounters(values, null, 0);
            }
            rise.put(e.getKey(), e.getValue() - before);
        }
        return new TcpCounters(values, rise, Math.max(0, secondsBetween));
    }

    /** The rise of one counter since the previous scan, 0 when unknown. */
    public long rise(TcpCounter c) {
        return sincePrevious == null ? 0 : sincePrevious.getOrDefault(c, 0L);
    }

    public long value(TcpCounter c) {
        return values.getOrDefault(c, 0L);
    }
}
