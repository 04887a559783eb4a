package io.tcphealth.agent.proc;

/**
 * The TCP line of {@code /proc/net/sockstat}.
 *
 * <p>{@code inuse} is per network namespace; {@code orphan}, {@code alloc} and {@code mem} are
 * host-wide counters even when read inside another namespace.
 *
 * @param inUse     TCP sockets in use in this namespace (listeners and connections, not TIME_WAIT)
 * @param orphans   orphaned sockets, host-wide; what {@code tcp_max_orphans} limits
 * @param timeWait  TIME_WAIT sockets
 * @param allocated allocated TCP sockets, host-wide
 * @param memPages  pages of memory used by TCP buffers
 */
public record SockStat(long inUse, long orphans, long timeWait, long allocated, long memPages) {
}
