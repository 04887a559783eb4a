package io.tcphealth.agent.proc;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * The limits that decide when connections, listeners and TCP memory run out. All but
 * {@code tcp_mem} are per network namespace; {@code tcp_mem} is host-wide (its file exists only in
 * the initial namespace) and so is the memory it limits (sockstat's {@code mem}). A value is -1 when
 * it could not be read.
 *
 * @param localPortLow   first port of {@code net.ipv4.ip_local_port_range}
 * @param localPortHigh  last port of it
 * @param maxTwBuckets   {@code net.ipv4.tcp_max_tw_buckets}: TIME_WAIT sockets past it are not kept
 * @param somaxconn      {@code net.core.somaxconn}: the cap on any listener's backlog
 * @param tcpRetries2    {@code net.ipv4.tcp_retries2}: retransmission timeouts before an established
 *                       connection is given up (15, about 15 minutes, by default)
 * @param tcpMemPressure {@code tcp_mem[1]} in pages: past it TCP is under memory pressure
 * @param tcpMemMax      {@code tcp_mem[2]} in pages: past it new buffers are refused
 */
public record NetLimits(
        long localPortLow,
        long localPortHigh,
        long maxTwBuckets,
        long somaxconn,
        long tcpRetries2,
        long tcpMemPressure,
        long tcpMemMax) {

    private static final int MAX_BYTES = 4096;

    /** How many local ports {@code connect()} may pick from, or -1 when unknown. */
    public long localPorts() {
        return localPortLow < 0 || localPortHigh < localPortLow ? -1 : localPortHigh - localPortLow + 1;
    }

    public boolean inLocalRange(int port) {
        return localPortLow >= 0 && port >= localPortLow && port <= localPortHigh;
    }

    /**
     * Reads the per-namespace limits under {@code sysctlRoot} (as seen by the calling thread) and
     * {@code tcp_mem} under {@code globalRoot}; null for {@code globalRoot} leaves the memory limits
     * at -1 (a pod's namespace, which has no {@code tcp_mem} of its own).
     */
    public static NetLimits read(Path sysctlRoot, Path globalRoot, ScanProblems problems) {
        long[] range = numbers(sysctlRoot.resolve("net/ipv4/ip_local_port_range"), 2, problems);
        long[] tw = numbers(sysctlRoot.resolve("net/ipv4/tcp_max_tw_buckets"), 1, problems);
        long[] somax = numbers(sysctlRoot.resolve("net/core/somaxconn"), 1, problems);
        long[] retries2 = numbers(sysctlRoot.resolve("net/ipv4/tcp_retries2"), 1, problems);
        long[] mem = globalRoot == null
                ? new long[] {-1, -1, -1}
                : numbers(globalRoot.resolve("net/ipv4/tcp_mem"), 3, problems);
        return new NetLimits(range[0], range[1], tw[0], somax[0], retries2[0], mem[1], mem[2]);
    }

    private static long[] numbers(Path file, int count, ScanProblems problems) {
        long[] out = new long[count];
        java.util.Arrays.fill(out, -1);
        try {
            String[] words = ProcFs.readCapped(file, MAX_BYTES).trim().split("\\s+");
            if (words.length != count) {
                throw new ProcParseException(
                        file.toString(), 1, String.join(" ", words), "expected " + count + " numbers");
            }
            for (int i = 0; i < count; i++) {
                long v = ProcNumbers.decimal(words[i]);
                if (v < 0) {
                    throw new ProcParseException(
                            file.toString(), 1, String.join(" ", words), "'" + words[i] + "' is not a number");
                }
                out[i] = v;
            }
        } catch (NoSuchFileException e) {
            // An older kernel without the key: the limit is unknown, which is not a fault of the node.
        } catch (IOException e) {
            problems.couldNotRead(file, e);
            java.util.Arrays.fill(out, -1);
        }
        return out;
    }
}
