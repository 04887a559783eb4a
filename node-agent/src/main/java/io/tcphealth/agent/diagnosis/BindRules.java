package io.tcphealth.agent.diagnosis;

import io.tcphealth.agent.socket.TcpSocket;
import io.tcphealth.agent.socket.TcpState;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * Whether a new listener could {@code bind()} an address and port next to the sockets already on the
 * port, by the kernel's own rules ({@code inet_bind_conflict} and {@code inet_rcv_saddr_equal}):
 *
 * <ul>
 *   <li>Two sockets meet only if their addresses overlap: equal, or either is the wildcard of its
 *       family. An IPv6 wildcard ({@code [::]}) also covers IPv4 unless it is v6-only; a socket bound
 *       to a specific IPv6 address is always v6-only (the kernel sets it at bind), so {@code 0.0.0.0}
 *       and {@code [::1]} never meet. An IPv6 socket that was connected without a bind carries the
 *       IPv4 address 127.0.0.6 as its own, which an IPv4 wildcard meets.</li>
 *   <li>A listener that overlaps always blocks (short of SO_REUSEPORT on both under one user, which
 *       sock_diag does not report).</li>
 *   <li>Any other socket that overlaps (TIME_WAIT, CLOSE_WAIT, FIN_WAIT1, a connection, a socket that
 *       is only bound) blocks a new socket without SO_REUSEADDR; a new socket with SO_REUSEADDR passes
 *       only if that socket had SO_REUSEADDR too. A connection accepted from a listener, and the
 *       TIME_WAIT it leaves, inherit the listener's setting; sock_diag does not report it, so where it
 *       decides, the verdict says so instead of guessing.</li>
 * </ul>
 */
final class BindRules {
    private BindRules() {}

    /** A listener someone would start. */
    record Candidate(InetAddress address, boolean v6Only) {
        String text(int port) {
            String family = address instanceof Inet6Address ? (v6Only ? "IPv6 only" : "IPv6 and IPv4") : "IPv4";
            // ss prints either wildcard as "*"; here the family is the point, so both are spelled out.
            String at = !address.isAnyLocalAddress()
                    ? io.tcphealth.agent.socket.Endpoints.format(address, port)
                    : (address instanceof Inet6Address ? "[::]:" : "0.0.0.0:") + port;
            return at + " (" + family + ")";
        }
    }

    enum Outcome {
        /** No socket on the port overlaps: bind() succeeds. */
        BINDS,
        /** A listener overlaps: bind() fails with EADDRINUSE. */
        LISTENER_BLOCKS,
        /**
         * Only non-listening sockets overlap: bind() fails without SO_REUSEADDR; with it, it succeeds
         * exactly when every one of them had SO_REUSEADDR, which the kernel does not report.
         */
        NEEDS_REUSEADDR_ON_BOTH_SIDES
    }

    /** The verdict for one candidate, with the sockets that decide it. */
    record Verdict(Candidate candidate, Outcome outcome, List<TcpSocket> overlapping) {}

    static Verdict verdict(Candidate candidate, List<TcpSocket> onPort) {
        List<TcpSocket> overlapping = new ArrayList<>();
        boolean listener = false;
        for (TcpSocket s : onPort) {
            if (s.state() == TcpState.NEW_SYN_RECV) {
                continue; // a request socket is not in the bind table; its listener is
            }
            if (overlaps(candidate, s)) {
                overlapping.add(s);
                listener |= s.state() == TcpState.LISTEN;
            }
        }
        Outcome outcome = overlapping.isEmpty()
                ? Outcome.BINDS
                : listener ? Outcome.LISTENER_BLOCKS : Outcome.NEEDS_REUSEADDR_ON_BOTH_SIDES;
        return new Verdict(candidate, outcome, overlapping);
    }

    /** Whether a new socket at the candidate's address and an existing one share the port (inet_rcv_saddr_equal). */
    static boolean overlaps(Candidate c, TcpSocket s) {
        boolean existingV6Only = Boolean.TRUE.equals(s.v6Only());
        if (c.address() instanceof Inet4Address a1) {
            if (s.local() instanceof Inet4Address a2) {
                return a1.equals(a2) || a1.isAnyLocalAddress() || a2.isAnyLocalAddress();
            }
            if (existingV6Only) {
                return false;
            }
            byte[] v4 = ipv4Of((Inet6Address) s.local());
            return a1.isAnyLocalAddress() || isZero(v4) || java.util.Arrays.equals(a1.getAddress(), v4);
        }
        byte[] b1 = c.address().getAddress();
        boolean any1 = isZero(b1);
        boolean mapped1 = isMapped(b1);
        if (s.local() instanceof Inet4Address a2) {
            if (any1) {
                return !c.v6Only();
            }
            if (mapped1) {
                byte[] v4 = java.util.Arrays.copyOfRange(b1, 12, 16);
                return isZero(v4) || a2.isAnyLocalAddress() || java.util.Arrays.equals(v4, a2.getAddress());
            }
            return false;
        }
        byte[] b2 = s.local().getAddress();
        boolean any2 = isZero(b2);
        boolean mapped2 = isMapped(b2);
        if (mapped1 && mapped2) {
            if (existingV6Only) {
                return false;
            }
            byte[] v1 = java.util.Arrays.copyOfRange(b1, 12, 16);
            byte[] v2 = java.util.Arrays.copyOfRange(b2, 12, 16);
            return java.util.Arrays.equals(v1, v2) || isZero(v1) || isZero(v2);
        }
        if (any1 && any2) {
            return true;
        }
        if (any2 && !(existingV6Only && mapped1)) {
            return true;
        }
        if (any1 && !(c.v6Only() && mapped2)) {
            return true;
        }
        return java.util.Arrays.equals(b1, b2);
    }

    /**
     * The IPv4 address an IPv6 socket carries for IPv4 lookups: its own for a mapped address, none for
     * the wildcard, and 127.0.0.6 (LOOPBACK4_IPV6) for any other address.
     */
    private static byte[] ipv4Of(Inet6Address a) {
        byte[] b = a.getAddress();
        if (isMapped(b)) {
            return java.util.Arrays.copyOfRange(b, 12, 16);
        }
        return isZero(b) ? new byte[4] : new byte[] {127, 0, 0, 6};
    }

    private static boolean isMapped(byte[] b) {
        if (b.length != 16) {
            return false;
        }
        for (int i = 0; i < 10; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return b[10] == (byte) 0xff && b[11] == (byte) 0xff;
    }

    private static boolean isZero(byte[] b) {
        for (byte x : b) {
            if (x != 0) {
                return false;
            }
        }
        return true;
    }
}
