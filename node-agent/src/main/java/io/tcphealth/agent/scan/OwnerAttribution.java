package io.tcphealth.agent.scan;

/** How a scanner finds which processes hold the sockets worth attributing. */
public enum OwnerAttribution {
    /** Walks every process's fds on every scan: simple, and the reference the cache is checked against. */
    WALK_EVERY_SCAN,
    /** Remembers each process's socket fds and reads again only the processes that changed. */
    CACHE_BETWEEN_SCANS
}
