package io.tcphealth.agent.socket;

import java.net.Inet6Address;
import java.net.InetAddress;

/** Formats address and port pairs the way operators read them in {@code ss}. */
public final class Endpoints {
    private Endpoints() {}

    public static String format(InetAddress address, int port) {
        if (address == null) {
            return "*:" + port;
        }
        String host = address.getHostAddress();
        int zone = host.indexOf('%');
        if (zone >= 0) {
            host = host.substring(0, zone);
        }
        if (address.isAnyLocalAddress()) {
            host = "*";
        } else if (address instanceof Inet6Address) {
            host = "[" + host + "]";
        }
        return host + ":" + port;
    }
}
