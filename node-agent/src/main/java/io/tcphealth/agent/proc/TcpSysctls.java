package io.tcphealth.agent.proc;

/**
 * The TCP sysctls that decide how long stuck sockets live. A value is -1 when it could not be read.
 *
 * @param maxOrphans      {@code net.ipv4.tcp_max_orphans}: global, not per network namespace
 * @param keepaliveTime   {@code net.ipv4.tcp_keepalive_time}, seconds (default 7200)
 * @param keepaliveIntvl  {@code net.ipv4.tcp_keepalive_intvl}, seconds (default 75)
 * @param keepaliveProbes {@code net.ipv4.tcp_keepalive_probes} (default 9)
 * @param finTimeout      {@code net.ipv4.tcp_fin_timeout}, seconds (default 60)
 * @param orphanRetries   {@code net.ipv4.tcp_orphan_retries} (0 means 8 in the kernel)
 */
public record TcpSysctls(
        long maxOrphans,
        long keepaliveTime,
        long keepaliveIntvl,
        long keepaliveProbes,
        long finTimeout,
        long orphanRetries) {

    public static final long KEEPALIVE_TIME_DEFAULT = 7200;
}
