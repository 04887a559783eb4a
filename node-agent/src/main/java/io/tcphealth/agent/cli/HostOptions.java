package io.tcphealth.agent.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** How a command reaches the host: where its /proc is, and which network namespace counts as its own. */
final class HostOptions {

    @Option(
            names = "--host-netns",
            paramLabel = "PATH|self",
            description = "The namespace that counts as the host's: by default PID 1's; 'self' for this command's own "
                    + "(to try everything inside 'ip netns exec'), or a path such as /var/run/netns/NAME.")
    String hostNetns;

    @Option(
            names = "--proc-root",
            paramLabel = "DIR",
            defaultValue = "/proc",
            description = "Where the host's /proc is mounted (/host/proc in a container). Default: ${DEFAULT-VALUE}.")
    Path procRoot;
}
