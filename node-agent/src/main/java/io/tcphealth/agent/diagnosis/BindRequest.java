package io.tcphealth.agent.diagnosis;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.List;
import java.util.Locale;

/**
 * The one listener someone means to start, as {@code diagnose --bind} names it: the address, family and port,
 * and the socket options it would set. The bind verdict is then given for exactly that.
 *
 * @param address   the address, a wildcard or a specific one
 * @param port      the port
 * @param v6Only    IPV6_V6ONLY (IPv6 only); a specific IPv6 address is always v6-only (the kernel sets it at bind)
 * @param reuseAddr SO_REUSEADDR
 * @param reusePort SO_REUSEPORT
 * @param device    SO_BINDTODEVICE, or null
 * @param uid       the user the listener runs as (its sockets belong to that user; SO_REUSEPORT groups are per
 *                  user), or null when not said
 */
public record BindRequest(
        InetAddress address,
        int port,
        boolean v6Only,
        boolean reuseAddr,
        boolean reusePort,
        String device,
        Integer uid) {

    public static final String OPTIONS = "reuseaddr, reuseport, v6only, device=NAME, uid=N";

    public BindRequest {
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("Port " + port + " is outside 1-65535");
        }
        if (address instanceof Inet4Address && v6Only) {
            throw new IllegalArgumentException("v6only is for IPv6 addresses, not " + address.getHostAddress());
        }
        if (address instanceof Inet6Address && !address.isAnyLocalAddress()) {
            v6Only = true;
        }
    }

    /**
     * @param endpoint {@code 0.0.0.0:9080}, {@code 127.0.0.2:9080}, {@code [::]:9080} or {@code [::1]:9080} (IPv6
     *                 in brackets); a literal address, never a name to look up
     * @param options  any of {@link #OPTIONS}
     * @throws IllegalArgumentException saying what is wrong
     */
    public static BindRequest parse(String endpoint, List<String> options) {
        String text = endpoint.trim();
        int colon = text.lastIndexOf(':');
        if (colon <= 0 || colon == text.length() - 1) {
            throw new IllegalArgumentException(
                    "--bind takes ADDRESS:PORT (0.0.0.0:9080, [::]:9080, [::1]:9080), not '" + endpoint + "'");
        }
        String host = text.substring(0, colon);
        boolean bracketed = host.startsWith("[") && host.endsWith("]");
        if (bracketed) {
            host = host.substring(1, host.length() - 1);
        } else if (host.contains(":")) {
            throw new IllegalArgumentException("An IPv6 address in --bind goes in brackets: [" + host + "]:PORT");
        }
        InetAddress address;
        try {
            address = bracketed ? Inet6Address.ofLiteral(host) : Inet4Address.ofLiteral(host);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "--bind needs a literal " + (bracketed ? "IPv6" : "IPv4") + " address, not '" + host + "'");
        }
        int port;
        try {
            port = Integer.parseInt(text.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--bind needs a port number after the last ':', not '" + endpoint + "'");
        }
        boolean v6Only = false;
        boolean reuseAddr = false;
        boolean reusePort = false;
        String device = null;
        Integer uid = null;
        for (String raw : options) {
            String o = raw.trim();
            String key = o.toLowerCase(Locale.ROOT);
            if (key.equals("reuseaddr")) {
                reuseAddr = true;
            } else if (key.equals("reuseport")) {
                reusePort = true;
            } else if (key.equals("v6only")) {
                v6Only = true;
            } else if (key.startsWith("device=") && o.length() > 7) {
                device = o.substring(7);
                if (device.length() > 15 || device.contains("/") || device.isBlank()) {
                    throw new IllegalArgumentException("'" + device + "' is not a device name");
                }
            } else if (key.startsWith("uid=")) {
                try {
                    uid = Integer.parseInt(o.substring(4));
                } catch (NumberFormatException e) {
                    uid = -1;
                }
                if (uid < 0) {
                    throw new IllegalArgumentException("uid= takes a user id, not '" + o.substring(4) + "'");
                }
            } else if (!o.isEmpty()) {
                throw new IllegalArgumentException("Unknown --bind-option '" + o + "' (known: " + OPTIONS + ")");
            }
        }
        if (!(address instanceof Inet6Address) && bracketed) {
            throw new IllegalArgumentException("'" + host + "' is not an IPv6 address");
        }
        return new BindRequest(address, port, v6Only, reuseAddr, reusePort, device, uid);
    }

    BindRules.Candidate candidate() {
        return new BindRules.Candidate(address, v6Only, new BindRules.Options(reuseAddr, reusePort, device, uid));
    }
}
