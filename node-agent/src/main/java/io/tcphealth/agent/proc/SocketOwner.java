package io.tcphealth.agent.proc;

/** A process holding a socket: {@code /proc/<pid>/fd/<fd>} links to {@code socket:[inode]}. */
public record SocketOwner(int pid, int fd) {}
