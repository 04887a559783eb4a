package io.tcphealth.agent.diagnosis;

import io.tcphealth.agent.scan.BindFacts;
import io.tcphealth.agent.socket.SocketOptions;
import io.tcphealth.agent.socket.TcpSocket;
import io.tcphealth.agent.socket.TcpState;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * Whether a new listener could {@code bind()} an address and port next to the sockets already on the
 * port, by the kernel's own rules ({@code inet_bind_conflict}, {@code inet_rcv_saddr_equal} and
 * {@code sk_reuseport_match} in net/ipv4/inet_connection_sock.c), as checked against real binds:
 *
 * <ul>
 *   <li>Two sockets meet only if their addresses overlap: equal, or either is the wildcard of its
 *       family. An IPv6 wildcard ({@code [::]}) also covers IPv4 unless it is v6-only; a socket bound
 *       to a specific IPv6 address is always v6-only (the kernel sets it at bind), so {@code 0.0.0.0}
 *       and {@code [::1]} never meet. An IPv6 socket that was connected without a bind carries the
 *       IPv4 address 127.0.0.6 as its own, which an IPv4 wildcard meets.</li>
 *   <li>They meet only if either is bound to no device or both to the same one (SO_BINDTODEVICE; sock_diag's
 *       {@code idiag_if}).</li>
 *   <li>Where they meet, they do not conflict if both have SO_REUSEADDR and the old one is not listening; nor if
 *       both have SO_REUSEPORT and the old one is in TIME_WAIT or belongs to the same user (sock_diag's
 *       {@code idiag_uid}) as the new one: a SO_REUSEPORT group of listeners is joined that way. Anything else
 *       conflicts: bind() fails with EADDRINUSE (and where bind() passes, listen() passes the same check).</li>
 *   <li>The old socket's SO_REUSEADDR and SO_REUSEPORT are not in sock_diag or /proc/net/tcp: they are read from
 *       a copy of the owner's descriptor (see {@code PidfdSocketOptions}). A connection accepted from a listener
 *       has the listener's flags from the moment it was cloned, and they are read from its own descriptor like any
 *       other. Where they cannot be read (an orphan has no descriptor; a TIME_WAIT socket keeps the flags of the
 *       socket it was, but nothing reports them; an owner whose descriptor could not be copied) and they decide,
 *       the verdict says the bind cannot be told, and which fact is missing, instead of guessing.</li>
 * </ul>
 */
final class BindRules {
    private BindRules() {}

    /**
     * The options a new listener would set.
     *
     * @param device SO_BINDTODEVICE, or null for none
     * @param uid    the user it would run as, which decides SO_REUSEPORT; null when not said
     */
    record Options(boolean reuseAddr, boolean reusePort, String device, Integer uid) {
        static final Options NONE = new Options(false, false, null, null);
        static final Options REUSEADDR = new Options(true, false, null, null);

        /** "SO_REUSEADDR, SO_REUSEPORT as uid 0, SO_BINDTODEVICE eth0", or "no socket options". */
        String text() {
            List<String> parts = new ArrayList<>();
            if (reuseAddr) {
                parts.add("SO_REUSEADDR");
            }
            if (reusePort) {
                parts.add("SO_REUSEPORT" + (uid == null ? "" : " as uid " + uid));
            }
            if (device != null) {
                parts.add("SO_BINDTODEVICE " + device);
            }
            return parts.isEmpty() ? "no socket options" : String.join(", ", parts);
        }
    }

    /** A listener someone would start. */
    record Candidate(InetAddress address, boolean v6Only, Options options) {
        Candidate(InetAddress address, boolean v6Only) {
            this(address, v6Only, Options.NONE);
        }

        Candidate with(Options o) {
            return new Candidate(address, v6Only, o);
        }

        String family() {
            return address instanceof Inet6Address ? (v6Only ? "IPv6 only" : "IPv6 and IPv4") : "IPv4";
        }

        String text(int port) {
            // ss prints either wildcard as "*"; here the family is the point, so both are spelled out.
            String at = !address.isAnyLocalAddress()
                    ? io.tcphealth.agent.socket.Endpoints.format(address, port)
                    : (address instanceof Inet6Address ? "[::]:" : "0.0.0.0:") + port;
            return at + " (" + family() + ")";
        }
    }

    /**
     * An existing socket with what is known of its bind options.
     *
     * @param options what was read from its descriptor, or null when nothing was read
     * @param device  the name of the device it is bound to, "" for none, null when unknown
     */
    record Existing(TcpSocket socket, SocketOptions options, String device) {
        static Existing unread(TcpSocket s) {
            return new Existing(s, null, s.boundInterface() == 0 ? "" : null);
        }

        /** What the scan knows of {@code s} in the namespace of inode {@code netns}. */
        static Existing of(TcpSocket s, BindFacts facts, long netns) {
            SocketOptions o = facts.optionsOf(s.inode());
            String device;
            if (o != null && o.known()) {
                device = o.device();
            } else if (s.boundInterface() == 0) {
                device = "";
            } else if (s.boundInterface() > 0) {
                device = facts.deviceName(netns, s.boundInterface());
            } else {
                device = null;
            }
            return new Existing(s, o, device);
        }

        Boolean reuseAddr() {
            return options == null ? null : options.reuseAddr();
        }

        Boolean reusePort() {
            return options == null ? null : options.reusePort();
        }

        /** "CLOSE_WAIT 127.0.0.1:9080 - 127.0.0.1:40000", "LISTEN 0.0.0.0:9080". */
        String text() {
            TcpSocket s = socket;
            return s.state().name() + " " + s.localEndpoint()
                    + (s.remotePort() == 0 ? "" : " - " + s.remoteEndpoint())
                    + (device == null || device.isEmpty() ? "" : " on " + device);
        }

        /** Why its flags are not known. */
        String whyUnknown() {
            if (socket.state() == TcpState.TIME_WAIT) {
                return "a TIME_WAIT socket keeps the flags of the socket it was, but the kernel reports them nowhere";
            }
            if (socket.inode() == 0) {
                return "an orphan: no process has a descriptor to read them from";
            }
            if (options != null && !options.known()) {
                return options.unreadable();
            }
            return "no owner of it was found to read them from";
        }
    }

    /** What bind() would do. */
    enum Outcome {
        /** No socket on the port stands in the way: bind() succeeds. */
        BINDS,
        /** A socket stands in the way: bind() fails with EADDRINUSE. */
        EADDRINUSE,
        /** No socket is known to stand in the way, but a fact that would decide it is not known. */
        UNKNOWN
    }

    /**
     * The verdict for one candidate.
     *
     * @param overlapping the sockets whose address and device meet the candidate's
     * @param blocking    those that make bind() fail
     * @param unknowns    for each socket that might, the fact that is missing
     */
    record Verdict(
            Candidate candidate,
            Outcome outcome,
            List<TcpSocket> overlapping,
            List<TcpSocket> blocking,
            List<String> unknowns) {
        boolean listenerBlocks() {
            return blocking.stream().anyMatch(s -> s.state() == TcpState.LISTEN);
        }
    }

    /** The verdict from the sockets alone, none of their options known. */
    static Verdict verdict(Candidate candidate, List<TcpSocket> onPort) {
        return judge(candidate, onPort.stream().map(Existing::unread).toList());
    }

    static Verdict judge(Candidate candidate, List<Existing> onPort) {
        List<TcpSocket> overlapping = new ArrayList<>();
        List<TcpSocket> blocking = new ArrayList<>();
        List<String> unknowns = new ArrayList<>();
        java.util.Set<TcpSocket> onDevice = new java.util.HashSet<>();
        for (Existing e : onPort) {
            TcpSocket s = e.socket();
            if (s.state() == TcpState.NEW_SYN_RECV) {
                continue; // a request socket is not in the bind table; its listener is
            }
            if (!overlaps(candidate, s)) {
                continue;
            }
            String missing = null;
            Options o = candidate.options();
            if (o.device() != null && e.device() == null) {
                missing = "which device " + e.text() + " is bound to (index " + s.boundInterface() + ")";
            } else if (o.device() != null
                    && !e.device().isEmpty()
                    && !e.device().equals(o.device())) {
                continue; // bound to different devices: they never meet
            }
            overlapping.add(s);
            if (s.boundInterface() > 0 || (e.device() != null && !e.device().isEmpty())) {
                onDevice.add(s);
            }
            Tri clash = clash(o, e);
            if (clash == Tri.NO) {
                continue;
            }
            if (clash == Tri.YES && missing == null) {
                blocking.add(s);
            } else {
                unknowns.add(missing != null ? missing : missingFact(o, e));
            }
        }
        Options o = candidate.options();
        if (o.reusePort() && !blocking.isEmpty() && onDevice.containsAll(blocking)) {
            // The port's bind bucket caches the user of the last SO_REUSEPORT socket that bound beside the others
            // (tb->fastuid, sk_reuseport_match), and that fast path does not look at devices: once such a socket
            // has bound here on another device than these, a SO_REUSEPORT socket of that user binds on any, until
            // the port is free again. Nothing reports that history, so a conflict only with device-bound sockets
            // is not certain.
            for (TcpSocket s : blocking) {
                unknowns.add(
                        "whether a SO_REUSEPORT socket of " + (o.uid() == null ? "that user" : "uid " + o.uid())
                                + " bound here before on another device than "
                                + Existing.unread(s).text()
                                + " (the port's bind cache then lets such sockets through on any device, and nothing reports it)");
            }
            blocking.clear();
        }
        Outcome outcome =
                !blocking.isEmpty() ? Outcome.EADDRINUSE : unknowns.isEmpty() ? Outcome.BINDS : Outcome.UNKNOWN;
        return new Verdict(candidate, outcome, overlapping, blocking, unknowns);
    }

    private enum Tri {
        YES,
        NO,
        MAYBE;

        static Tri of(Boolean b) {
            return b == null ? MAYBE : b ? YES : NO;
        }

        Tri and(Tri other) {
            if (this == NO || other == NO) {
                return NO;
            }
            return this == YES && other == YES ? YES : MAYBE;
        }
    }

    /** inet_bind_conflict for two sockets that meet by address and device, as bind() and listen() ask it. */
    private static Tri clash(Options o, Existing e) {
        TcpSocket s = e.socket();
        // Both SO_REUSEADDR and the old one not listening: no conflict.
        Tri reuse = o.reuseAddr() && s.state() != TcpState.LISTEN ? Tri.of(e.reuseAddr()) : Tri.NO;
        // Otherwise both SO_REUSEPORT, and the old one in TIME_WAIT or of the same user: no conflict.
        Tri sameUser =
                s.state() == TcpState.TIME_WAIT ? Tri.YES : o.uid() == null ? Tri.MAYBE : Tri.of(o.uid() == s.uid());
        Tri port = o.reusePort() ? Tri.of(e.reusePort()).and(sameUser) : Tri.NO;
        if (reuse == Tri.YES || port == Tri.YES) {
            return Tri.NO;
        }
        if (reuse == Tri.NO && port == Tri.NO) {
            return Tri.YES;
        }
        return Tri.MAYBE;
    }

    /** The fact that would decide a MAYBE, in words. */
    private static String missingFact(Options o, Existing e) {
        TcpSocket s = e.socket();
        List<String> flags = new ArrayList<>();
        if (o.reuseAddr() && s.state() != TcpState.LISTEN && e.reuseAddr() == null) {
            flags.add("SO_REUSEADDR");
        }
        if (o.reusePort() && e.reusePort() == null) {
            flags.add("SO_REUSEPORT");
        }
        if (!flags.isEmpty()) {
            return "whether " + e.text() + " has " + String.join(" or ", flags) + " (" + e.whyUnknown() + ")";
        }
        return "which user the new listener runs as: " + e.text() + " has SO_REUSEPORT and belongs to uid " + s.uid()
                + " (say uid=N)";
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
