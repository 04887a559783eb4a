package io.tcphealth.agent.netns;

import java.nio.file.Path;

/**
 * Which network namespace counts as the host's ({@code --host-netns PATH|self}).
 */
public sealed interface HostNetns {

    /** The namespace of PID 1 under the proc root: the node's own when the agent has hostPID. */
    record Pid1() implements HostNetns {}

    /** The namespace the agent process itself runs in ({@code <proc root>/self/ns/net}). */
    record Self() implements HostNetns {}

    /** A file referring to the namespace, such as {@code /var/run/netns/NAME} or {@code /proc/42/ns/net}. */
    record AtPath(Path path) implements HostNetns {}

    /**
     * Reads the command-line option: absent or blank = PID 1's, {@code self}, or a path.
     */
    static HostNetns parse(String option) {
        if (option == null || option.isBlank()) {
            return new Pid1();
        }
        if (option.equals("self")) {
            return new Self();
        }
        return new AtPath(Path.of(option));
    }
}
