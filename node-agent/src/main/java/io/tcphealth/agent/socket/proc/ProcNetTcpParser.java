package io.tcphealth.agent.socket.proc;

import io.tcphealth.agent.proc.ProcLines;
import io.tcphealth.agent.proc.ProcNumbers;
import io.tcphealth.agent.proc.ProcParseException;
import io.tcphealth.agent.socket.TcpSocket;
import io.tcphealth.agent.socket.TcpState;
import io.tcphealth.agent.socket.TimerKind;
import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Parses {@code /proc/net/tcp} and {@code /proc/net/tcp6} lines, as {@code tcp4_seq_show} and
 * {@code tcp6_seq_show} print them:
 * <pre>
 *   sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
 *    0: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 1065 ...
 * </pre>
 *
 * <p>Addresses are the kernel's {@code __be32} words printed as host integers with {@code %08X}, so
 * on a little-endian machine 127.0.0.1 reads {@code 0100007F}; IPv6 addresses are four such words.
 * The byte order is a constructor argument so that fixtures decode the same on any machine.
 *
 * <p>{@code tm->when} is in clock ticks ({@code jiffies_delta_to_clock_t}), i.e. USER_HZ, which is
 * 100 on every Linux architecture tcphealth runs on (it is fixed ABI, unlike the kernel's HZ); Java
 * cannot ask {@code sysconf(_SC_CLK_TCK)}, so 100 is assumed here.
 *
 * <p>What differs from {@code inet_diag}: a listener's send queue is printed as 0 here, whereas
 * netlink (and {@code ss}) report the backlog limit; the cookie is not printed at all (0 here).
 * {@code retransmits} follows {@code inet_diag}: the retransmit count for the retransmit timer, the
 * probe count for the keepalive and zero-window (persist) timers, 0 otherwise.
 *
 * <p>The receive queue is {@code rcv_nxt - copied_seq}, and a received FIN takes one sequence
 * number: a CLOSE_WAIT socket whose owner has not read up to end-of-file shows one byte more than
 * the unread data (1 with no data at all), exactly as {@code ss} does. Reading the end-of-file
 * consumes that byte.
 *
 * <p>A malformed line raises {@link ProcParseException} naming the file, the line and its text: the
 * kernel writes these lines, so one that does not parse means the format is not what this parser
 * knows, and a partial socket list would be reported as the truth.
 */
public final class ProcNetTcpParser {
    /** Clock ticks per second of {@code tm->when} (USER_HZ). */
    public static final long USER_HZ = 100;

    /** Kernel lines are about 150 characters; leave room for later columns. */
    public static final int MAX_LINE_LENGTH = 1024;

    private static final int MIN_FIELDS = 10;

    private final ByteOrder byteOrder;

    /** @param byteOrder the byte order of the machine that wrote the file */
    public ProcNetTcpParser(ByteOrder byteOrder) {
        this.byteOrder = byteOrder;
    }

    /** For files written by this machine's kernel. */
    public static ProcNetTcpParser nativeOrder() {
        return new ProcNetTcpParser(ByteOrder.nativeOrder());
    }

    /** Parses a whole table (the header line is skipped), keeping sockets in {@code states}; a malformed line fails it. */
    public List<TcpSocket> parse(ProcLines lines, Set<TcpState> states) throws IOException {
        return parse(lines, states, null);
    }

    /**
     * Parses a whole table, keeping sockets in {@code states}. With {@code skipped}, a malformed line
     * is left out and added there (as the netlink source leaves out what it cannot decode), so one
     * bad line does not cost the whole scan; without, it fails the parse.
     */
    public List<TcpSocket> parse(ProcLines lines, Set<TcpState> states, List<ProcParseException> skipped)
            throws IOException {
        List<TcpSocket> out = new ArrayList<>();
        String line;
        while ((line = lines.next()) != null) {
            if (lines.lineNumber() == 1 && line.trim().startsWith("sl")) {
                continue;
            }
            if (line.isBlank()) {
                continue;
            }
            TcpSocket s;
            try {
                s = parseLine(lines.file(), lines.lineNumber(), line);
            } catch (ProcParseException e) {
                if (skipped == null) {
                    throw e;
                }
                skipped.add(e);
                continue;
            }
            if (states.contains(s.state())) {
                out.add(s);
            }
        }
        return out;
    }

    /** Parses one socket line. */
    public TcpSocket parseLine(String file, int lineNumber, String line) throws ProcParseException {
        int[] starts = new int[MIN_FIELDS];
        int[] ends = new int[MIN_FIELDS];
        int n = 0;
        int i = 0;
        int len = line.length();
        while (n < MIN_FIELDS) {
            while (i < len && line.charAt(i) == ' ') {
                i++;
            }
            if (i >= len) {
                throw new ProcParseException(file, lineNumber, line, "fewer than " + MIN_FIELDS + " fields");
            }
            starts[n] = i;
            while (i < len && line.charAt(i) != ' ') {
                i++;
            }
            ends[n++] = i;
        }
        Parsing p = new Parsing(file, lineNumber, line);
        if (line.charAt(ends[0] - 1) != ':' || ProcNumbers.decimal(line, starts[0], ends[0] - 1) < 0) {
            throw p.fail("bad slot number");
        }
        int localColon = p.colon(starts[1], ends[1], "local address");
        int remoteColon = p.colon(starts[2], ends[2], "remote address");
        InetAddress local = p.address(starts[1], localColon, byteOrder);
        int localPort = (int) p.hex(localColon + 1, ends[1], 0xFFFF, "local port");
        InetAddress remote = p.address(starts[2], remoteColon, byteOrder);
        int remotePort = (int) p.hex(remoteColon + 1, ends[2], 0xFFFF, "remote port");
        if (local.getAddress().length != remote.getAddress().length) {
            throw p.fail("local and remote address families differ");
        }
        TcpState state;
        try {
            state = TcpState.fromCode((int) p.hex(starts[3], ends[3], 0xFF, "state"));
        } catch (IllegalArgumentException e) {
            throw p.fail("unknown state");
        }
        int queues = p.colon(starts[4], ends[4], "tx_queue:rx_queue");
        long sendQueue = p.hex(starts[4], queues, 0xFFFFFFFFL, "tx_queue");
        long recvQueue = p.hex(queues + 1, ends[4], 0xFFFFFFFFL, "rx_queue");
        int timerColon = p.colon(starts[5], ends[5], "tr:tm->when");
        int timerCode = (int) p.hex(starts[5], timerColon, 0xFF, "tr");
        long whenTicks = p.hex(timerColon + 1, ends[5], Long.MAX_VALUE, "tm->when");
        long retrnsmt = p.hex(starts[6], ends[6], 0xFFFFFFFFL, "retrnsmt");
        long uid = p.decimal(starts[7], ends[7], 0xFFFFFFFFL, "uid");
        long probesOut = p.decimal(starts[8], ends[8], Integer.MAX_VALUE, "timeout");
        long inode = p.decimal(starts[9], ends[9], Long.MAX_VALUE, "inode");

        TimerKind timer = TimerKind.fromCode(timerCode);
        long retransmits = switch (timer) {
            case RETRANSMIT -> retrnsmt;
            case KEEPALIVE, PERSIST -> probesOut;
            case NONE, TIME_WAIT -> 0;
        };
        long expiresMillis = timer == TimerKind.NONE ? 0 : ticksToMillis(whenTicks);
        return new TcpSocket(
                state,
                local,
                localPort,
                remote,
                remotePort,
                recvQueue,
                sendQueue,
                timer,
                expiresMillis,
                (int) Math.min(retransmits, Integer.MAX_VALUE),
                (int) uid,
                inode,
                0);
    }

    static long ticksToMillis(long ticks) {
        return ticks > Long.MAX_VALUE / 1000 ? Long.MAX_VALUE : ticks * 1000 / USER_HZ;
    }

    /** One line being parsed, for error messages. */
    private record Parsing(String file, int lineNumber, String line) {
        ProcParseException fail(String problem) {
            return new ProcParseException(file, lineNumber, line, problem);
        }

        int colon(int from, int to, String what) throws ProcParseException {
            int c = line.indexOf(':', from);
            if (c < 0 || c >= to) {
                throw fail("bad " + what);
            }
            return c;
        }

        long hex(int from, int to, long max, String what) throws ProcParseException {
            long v = ProcNumbers.hex(line, from, to);
            if (v < 0 || v > max) {
                throw fail("bad " + what);
            }
            return v;
        }

        long decimal(int from, int to, long max, String what) throws ProcParseException {
            long v = ProcNumbers.decimal(line, from, to);
            if (v < 0 || v > max) {
                throw fail("bad " + what);
            }
            return v;
        }

        /** 8 hex digits (IPv4) or 32 (IPv6), each group of 8 a host-order u32. */
        InetAddress address(int from, int to, ByteOrder order) throws ProcParseException {
            int digits = to - from;
            if (digits != 8 && digits != 32) {
                throw fail("address needs 8 or 32 hex digits");
            }
            byte[] bytes = new byte[digits / 2];
            for (int word = 0; word < digits / 8; word++) {
                long v = ProcNumbers.hex(line, from + word * 8, from + word * 8 + 8);
                if (v < 0) {
                    throw fail("bad address");
                }
                for (int b = 0; b < 4; b++) {
                    int shift = order == ByteOrder.LITTLE_ENDIAN ? 8 * b : 8 * (3 - b);
                    bytes[word * 4 + b] = (byte) (v >>> shift);
                }
            }
            try {
                // Inet6Address directly: InetAddress.getByAddress would turn ::ffff:a.b.c.d into IPv4.
                return bytes.length == 4 ? InetAddress.getByAddress(bytes) : Inet6Address.getByAddress(null, bytes, -1);
            } catch (UnknownHostException e) {
                throw fail("bad address");
            }
        }
    }
}
