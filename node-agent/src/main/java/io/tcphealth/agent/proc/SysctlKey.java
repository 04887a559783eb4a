package io.tcphealth.agent.proc;

import java.nio.file.Path;
import java.util.Locale;

/**
 * The sysctls tcphealth reads and may tune: the dotted name operators type, the file under
 * {@code /proc/sys}, and whether each network namespace has its own value.
 *
 * <p>Most {@code net.ipv4.tcp_*} keys became per namespace over the years; {@code tcp_max_orphans}
 * did not (the orphan count it limits is host-wide), so its file does not exist inside a
 * non-initial namespace and a change to it affects every pod on the node.
 */
public enum SysctlKey {
    TCP_MAX_ORPHANS("net.ipv4.tcp_max_orphans", false),
    TCP_KEEPALIVE_TIME("net.ipv4.tcp_keepalive_time", true),
    TCP_KEEPALIVE_INTVL("net.ipv4.tcp_keepalive_intvl", true),
    TCP_KEEPALIVE_PROBES("net.ipv4.tcp_keepalive_probes", true),
    TCP_FIN_TIMEOUT("net.ipv4.tcp_fin_timeout", true),
    TCP_ORPHAN_RETRIES("net.ipv4.tcp_orphan_retries", true),
    TCP_RETRIES2("net.ipv4.tcp_retries2", true),
    SOMAXCONN("net.core.somaxconn", true);

    private final String dotted;
    private final String relativePath;
    private final boolean perNetns;

    SysctlKey(String dotted, boolean perNetns) {
        this.dotted = dotted;
        this.relativePath = dotted.replace('.', '/');
        this.perNetns = perNetns;
    }

    /** The name {@code sysctl} uses: {@code net.ipv4.tcp_keepalive_time}. */
    public String dottedName() {
        return dotted;
    }

    /** The file under a sysctl root: {@code net/ipv4/tcp_keepalive_time}. */
    public String relativePath() {
        return relativePath;
    }

    /** The file for this key under {@code sysctlRoot} ({@code /proc/sys} or a test directory). */
    public Path resolve(Path sysctlRoot) {
        return sysctlRoot.resolve(relativePath);
    }

    /** True when each network namespace has its own value; false for host-wide keys. */
    public boolean perNetns() {
        return perNetns;
    }

    /** The policy field for this key: {@code net.ipv4.tcp_keepalive_time} → {@code tcpKeepaliveTime}. */
    public String policyField() {
        String last = dotted.substring(dotted.lastIndexOf('.') + 1);
        StringBuilder out = new StringBuilder(last.length());
        boolean upper = false;
        for (char c : last.toCharArray()) {
            if (c == '_') {
                upper = true;
            } else {
                out.append(upper ? Character.toUpperCase(c) : c);
                upper = false;
            }
        }
        return out.toString();
    }

    /** @throws IllegalArgumentException for a name outside the allow-list */
    public static SysctlKey fromDottedName(String name) {
        String wanted = name.trim().replace('/', '.').toLowerCase(Locale.ROOT);
        for (SysctlKey k : values()) {
            if (k.dotted.equals(wanted)) {
                return k;
            }
        }
        throw new IllegalArgumentException("Not an allowed sysctl: " + name);
    }
}
