package io.tcphealth.agent.proc;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Who this command runs as, from {@code /proc/self/status}: its effective uid and whether it holds CAP_SYS_PTRACE,
 * which reading other processes' fds and namespaces needs. A hint about missing privileges must fit: as root
 * without that capability (a container, a systemd unit with CapabilityBoundingSet), "run as root" is no help.
 *
 * @param root   effective uid 0
 * @param ptrace CAP_SYS_PTRACE in the effective set
 */
public record Privileges(boolean root, boolean ptrace) {
    private static final int CAP_SYS_PTRACE = 19;

    public static Privileges current() {
        return parse(read(Path.of("/proc/self/status")));
    }

    private static String read(Path status) {
        try (var in = Files.newInputStream(status)) {
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    public static Privileges parse(String status) {
        boolean root = false;
        boolean ptrace = false;
        for (String line : status.split("\n")) {
            if (line.startsWith("Uid:")) {
                String[] ids = line.substring(4).trim().split("\\s+");
                root = ids.length > 1 && ids[1].equals("0");
            } else if (line.startsWith("CapEff:")) {
                try {
                    ptrace = (Long.parseUnsignedLong(line.substring(7).trim(), 16) & (1L << CAP_SYS_PTRACE)) != 0;
                } catch (NumberFormatException e) {
                    ptrace = false;
                }
            }
        }
        return new Privileges(root, ptrace);
    }

    /** Why other processes' fds could not be read, for a "permission denied" line. */
    public String fdHint() {
        if (!root && !ptrace) {
            return "other users' processes need root or CAP_SYS_PTRACE";
        }
        if (!ptrace) {
            return "running as root, but without CAP_SYS_PTRACE, which reading other processes' fds needs";
        }
        return "even with root and CAP_SYS_PTRACE: a security module (AppArmor, SELinux), kernel.yama.ptrace_scope=3 "
                + "or a /proc mounted with hidepid forbids it";
    }

    /** What to do about a namespace or fd of another process that could not be read. */
    public String hostNamespaceHint() {
        if (!root && !ptrace) {
            return "Run it as root (or with CAP_SYS_PTRACE) to see the host.";
        }
        if (!ptrace) {
            return "It runs as root but without CAP_SYS_PTRACE (a container or a service with a reduced capability "
                    + "set?): grant that capability to see the host.";
        }
        return "It has root and CAP_SYS_PTRACE, so something else forbids it: a security module (AppArmor, SELinux), "
                + "kernel.yama.ptrace_scope=3, or a /proc mounted with hidepid or from another PID namespace.";
    }

    /**
     * What to do about sockets no process could be found holding, for a finding's next step. As root with
     * CAP_SYS_PTRACE privileges are not the cause: the holder is out of this /proc's sight (another PID namespace),
     * its /proc entries could not be read (the scan's problems say so), or the sockets are held by no process yet
     * (connections waiting in a listener's accept queue have no fd).
     */
    public String unknownOwnerHint() {
        if (!root && !ptrace) {
            return "Run as root (or with CAP_SYS_PTRACE) so every socket's owner can be read, then look at that process.";
        }
        if (!ptrace) {
            return "This runs as root but without CAP_SYS_PTRACE, which reading other processes' fds needs (a container "
                    + "or a service with a reduced capability set?): grant it, then look at that process.";
        }
        return "Privileges are not the cause (this runs as root with CAP_SYS_PTRACE): the holder lives in a PID "
                + "namespace this /proc does not show (run it on the host, or with hostPID), its /proc entries could not "
                + "be read (see the scan's problems: a security module, hidepid), or the connections were never "
                + "accepted and wait in a listener's queue (no process holds those yet: look at the listener).";
    }
}
