package io.tcphealth.agent.cli;

/** Where sockets are read from. */
enum SourceKind {
    /** {@code NETLINK_SOCK_DIAG}: fast, with socket cookies. */
    netlink,
    /** {@code /proc/thread-self/net/tcp{,6}}: slower, no cookies; works where sock_diag is missing. */
    proc
}
