package io.tcphealth.agent.socket.proc;

import io.tcphealth.agent.socket.TcpSocket;
import io.tcphealth.agent.socket.TcpState;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One line of {@code ss -tanHpe} reduced to what {@code /proc/net/tcp} also shows, so the two can be
 * compared as strings: "STATE local peer recvQ sendQ ino".
 */
record SsLineFields(
        String state, String local, String peer, long recvQueue, long sendQueue, long inode, List<int[]> owners) {
    private static final Pattern OWNER = Pattern.compile("pid=(\\d+),fd=(\\d+)");

    static SsLineFields parse(String line) {
        String[] f = line.trim().split("\\s+");
        long inode = 0;
        List<int[]> owners = new ArrayList<>();
        for (int i = 5; i < f.length; i++) {
            if (f[i].startsWith("ino:")) {
                inode = Long.parseLong(f[i].substring(4));
            } else if (f[i].startsWith("users:")) {
                Matcher m = OWNER.matcher(f[i]);
                while (m.find()) {
                    owners.add(new int[] {Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2))});
                }
            }
        }
        return new SsLineFields(
                f[0], endpoint(f[3]), endpoint(f[4]), Long.parseLong(f[1]), Long.parseLong(f[2]), inode, owners);
    }

    /** The comparison key; a listener's send queue is left out (procfs prints 0, ss the backlog limit). */
    String key() {
        return key(state, local, peer, recvQueue, state.equals("LISTEN") ? -1 : sendQueue, inode);
    }

    static String key(TcpSocket s) {
        return key(
                s.state().ssName(),
                endpoint(s.local(), s.localPort()),
                endpoint(s.remote(), s.remotePort()),
                s.recvQueue(),
                s.state() == TcpState.LISTEN ? -1 : s.sendQueue(),
                s.inode());
    }

    private static String key(String state, String local, String peer, long rq, long sq, long inode) {
        return state + " " + local + " " + peer + " rq=" + rq + " sq=" + sq + " ino=" + inode;
    }

    /** "v4 a.b.c.d:port" or "v6 x:x:...:port"; a wildcard (ss "*", port "*") becomes "any:0". */
    private static String endpoint(String ss) {
        int colon = ss.lastIndexOf(':');
        String host = ss.substring(0, colon);
        String port = ss.substring(colon + 1);
        int p = port.equals("*") ? 0 : Integer.parseInt(port);
        if (host.equals("*")) {
            return "any:" + p;
        }
        boolean v6 = host.startsWith("[");
        if (v6) {
            host = host.substring(1, host.length() - 1);
        }
        try {
            InetAddress a = InetAddress.getByName(host);
            if (a.isAnyLocalAddress()) {
                return "any:" + p;
            }
            return (v6 ? "v6 " + hex16(a.getAddress()) : "v4 " + a.getHostAddress()) + ":" + p;
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(ss, e);
        }
    }

    private static String endpoint(InetAddress a, int port) {
        if (a.isAnyLocalAddress()) {
            return "any:" + port;
        }
        return (a instanceof Inet4Address ? "v4 " + a.getHostAddress() : "v6 " + hex16(a.getAddress())) + ":" + port;
    }

    /** 16 bytes in hex; a 4-byte address (Java's view of ::ffff:a.b.c.d) is mapped back. */
    private static String hex16(byte[] b) {
        byte[] v6 = b;
        if (b.length == 4) {
            v6 = new byte[16];
            v6[10] = (byte) 0xff;
            v6[11] = (byte) 0xff;
            System.arraycopy(b, 0, v6, 12, 4);
        }
        return java.util.HexFormat.of().formatHex(v6);
    }
}
