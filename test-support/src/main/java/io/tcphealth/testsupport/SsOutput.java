package io.tcphealth.testsupport;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads {@code ss -tanH} lines: "STATE RECV-Q SEND-Q LOCAL PEER [extras]". With a state filter
 * ({@code ss -tanH state close-wait}) ss leaves the state column out.
 */
public final class SsOutput {
    private SsOutput() {}

    /** Sockets per {@code ss} state name (ESTAB, CLOSE-WAIT, FIN-WAIT-1, ...). */
    public static Map<String, Long> countByState(List<String> lines) {
        Map<String, Long> counts = new TreeMap<>();
        for (String line : lines) {
            counts.merge(fields(line)[0], 1L, Long::sum);
        }
        return counts;
    }

    /** The whitespace-separated fields of one line. */
    public static String[] fields(String line) {
        return line.trim().split("\\s+");
    }

    /** The port of an "addr:port" or "[v6]:port" column. */
    public static int port(String endpoint) {
        return Integer.parseInt(endpoint.substring(endpoint.lastIndexOf(':') + 1));
    }
}
