package io.tcphealth.agent.proc;

import java.util.HashMap;
import java.util.Map;

/**
 * The format of {@code /proc/net/snmp} and {@code /proc/net/netstat}: pairs of lines that start with
 * the same section name, the first naming the columns and the second giving their values.
 *
 * <pre>
 * TcpExt: SyncookiesSent SyncookiesRecv ... ListenOverflows ListenDrops ...
 * TcpExt: 0 0 ... 12 12 ...
 * </pre>
 */
public final class NetStatTables {

    private NetStatTables() {}

    /**
     * Every value, keyed "Section.Name" ({@code TcpExt.ListenOverflows}). Values may be negative
     * ({@code Tcp.MaxConn} is -1).
     *
     * @param file for error messages
     * @throws ProcParseException when a header has no value line or the two differ in length
     */
    public static Map<String, Long> parse(String file, String text) throws ProcParseException {
        Map<String, Long> out = new HashMap<>();
        String[] lines = text.split("\n");
        for (int i = 0; i < lines.length; i++) {
            String header = lines[i].trim();
            if (header.isEmpty()) {
                continue;
            }
            int colon = header.indexOf(':');
            if (colon <= 0) {
                throw new ProcParseException(file, i + 1, header, "expected 'Section: ...'");
            }
            String section = header.substring(0, colon);
            if (i + 1 >= lines.length || !lines[i + 1].startsWith(section + ":")) {
                throw new ProcParseException(file, i + 1, header, "header without a value line");
            }
            String[] names = header.substring(colon + 1).trim().split("\\s+");
            String valueLine = lines[i + 1];
            String[] values = valueLine.substring(colon + 1).trim().split("\\s+");
            if (names.length != values.length) {
                throw new ProcParseException(
                        file, i + 2, valueLine, names.length + " names but " + values.length + " values in " + section);
            }
            for (int k = 0; k < names.length; k++) {
                out.put(section + "." + names[k], signed(file, i + 2, valueLine, values[k]));
            }
            i++;
        }
        return out;
    }

    private static long signed(String file, int line, String raw, String word) throws ProcParseException {
        boolean negative = word.startsWith("-");
        long v = ProcNumbers.decimal(word, negative ? 1 : 0, word.length());
        if (v < 0) {
            throw new ProcParseException(file, line, raw, "'" + word + "' is not an integer");
        }
        return negative ? -v : v;
    }
}
