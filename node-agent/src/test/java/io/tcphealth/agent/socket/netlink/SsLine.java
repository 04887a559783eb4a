package io.tcphealth.agent.socket.netlink;

import io.tcphealth.agent.socket.TcpSocket;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * One socket as {@code ss -tanHe} prints it, reduced to a comparable key. With a state filter ss
 * leaves the state column out; {@code impliedState} fills it in.
 */
record SsLine(String key, String state) {

    static SsLine parse(String line, String impliedState) {
        String[] f = line.trim().split("\\s+");
        int i = 0;
        String state = impliedState != null ? impliedState : f[i++];
        String recvQ = f[i++];
        String sendQ = f[i++];
        String local = endpoint(f[i++]);
        String peer = endpoint(f[i++]);
        String inode = null;
        String cookie = null;
        for (; i < f.length; i++) {
            if (f[i].startsWith("ino:")) {
                inode = f[i].substring(4);
            } else if (f[i].startsWith("sk:")) {
                cookie = f[i].substring(3);
            }
        }
        if (inode == null || cookie == null) {
            throw new IllegalArgumentException("ss line without ino: or sk: (run ss with -e): " + line);
        }
        return new SsLine(key(state, recvQ, sendQ, local, peer, inode, cookie), state);
    }

    /** The same key for a socket from a netlink dump. */
    static String keyOf(TcpSocket s) {
        return key(
                s.state().ssName(),
                Long.toString(s.recvQueue()),
                Long.toString(s.sendQueue()),
                canonical(s.local()) + ":" + s.localPort(),
                canonical(s.remote()) + ":" + s.remotePort(),
                Long.toString(s.inode()),
                Long.toHexString(s.cookie()));
    }

    private static String key(
            String state, String recvQ, String sendQ, String local, String peer, String inode, String cookie) {
        return String.join(" ", state, recvQ, sendQ, local, peer, "ino:" + inode, "sk:" + cookie);
    }

    /** "[::1]:7005" or "127.0.0.1:7006" or "0.0.0.0:*" into "canonical-address:port". */
    private static String endpoint(String text) {
        int colon = text.lastIndexOf(':');
        String host = text.substring(0, colon);
        String port = text.substring(colon + 1);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int zone = host.indexOf('%');
        if (zone >= 0) {
            host = host.substring(0, zone);
        }
        try {
            String address = host.equals("*") ? "*" : canonical(InetAddress.getByName(host));
            return address + ":" + (port.equals("*") ? "0" : port);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("ss printed an address that is not numeric: " + text, e);
        }
    }

    private static String canonical(InetAddress address) {
        return (address instanceof Inet6Address ? "v6/" : "v4/") + address.getHostAddress();
    }
}
