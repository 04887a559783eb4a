package io.tcphealth.agent.proc;

/**
 * The TCP line of {@code /proc/net/sockstat}.
 *
 * <p>{@code inuse} is per network namespace; {@code orphan}, {@code alloc} and {@code mem} are
 * host-wide counters even when read inside another namespace, and so is {@code tw} unless the
 * namespace got a TIME_WAIT pool of its own ({@code net.ipv4.tcp_child_ehash_entries}).
 *
 * @param inUse     TCP sockets in use in this namespace (listeners and connections, not TIME_WAIT)
 * @param orphans   orphaned sockets, host-wide; what {@code tcp_max_orphans} limits
 * @param timeWait  TIME_WAIT sockets of the pool this namespace uses (usually the host's)
 * @param allocated allocated TCP sockets, host-wide
 * @param memPages  pages of memory used by TCP buffers
 */
public record SockStat(long inUse, long orphans, long timeWait, long allocated, long memPages) {

    /**
     * Parses {@code TCP: inuse 5 orphan 0 tw 2 alloc 9 mem 1}. Keys may come in any order; each of
     * the five must be present (no silent zeros).
     *
     * @param file for error messages
     */
    public static SockStat parse(String file, String text) throws ProcParseException {
        int lineNo = 0;
        for (String line : text.split("\n", -1)) {
            lineNo++;
            if (!line.startsWith("TCP:")) {
                continue;
            }
            String[] words = line.substring(4).trim().split("\\s+");
            if (words.length % 2 != 0) {
                throw new ProcParseException(file, lineNo, line, "expected key value pairs");
            }
            long[] v = {-1, -1, -1, -1, -1};
            for (int i = 0; i < words.length; i += 2) {
                int slot = switch (words[i]) {
                    case "inuse" -> 0;
                    case "orphan" -> 1;
                    case "tw" -> 2;
                    case "alloc" -> 3;
                    case "mem" -> 4;
                    default -> -1;
                };
                if (slot >= 0) {
                    v[slot] = ProcNumbers.decimal(words[i + 1]);
                    if (v[slot] < 0) {
                        throw new ProcParseException(file, lineNo, line, "bad value for " + words[i]);
                    }
                }
            }
            for (long x : v) {
                if (x < 0) {
                    throw new ProcParseException(file, lineNo, line, "needs inuse, orphan, tw, alloc and mem");
                }
            }
            return new SockStat(v[0], v[1], v[2], v[3], v[4]);
        }
        throw new ProcParseException(file, 0, text, "no TCP: line");
    }
}
