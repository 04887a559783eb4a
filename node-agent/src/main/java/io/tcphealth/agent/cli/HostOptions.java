package io.tcphealth.agent.cli;

import static io.tcphealth.agent.cli.HandBuiltOptions.option;

import java.nio.file.Path;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/** How a command reaches the host: where its /proc is, and which network namespace counts as its own. */
final class HostOptions {
    private static final String HOST_NETNS_LABEL = "PATH|self";
    private static final String HOST_NETNS_HELP =
            "The namespace that counts as the host's: by default PID 1's; 'self' for this command's own "
                    + "(to try everything inside 'ip netns exec'), or a path such as /var/run/netns/NAME.";
    private static final String PROC_ROOT_LABEL = "DIR";
    private static final String PROC_ROOT_DEFAULT = "/proc";
    private static final String PROC_ROOT_HELP =
            "Where the host's /proc is mounted (/host/proc in a container). Default: ${DEFAULT-VALUE}.";

    @Option(names = "--host-netns", paramLabel = HOST_NETNS_LABEL, description = HOST_NETNS_HELP)
    String hostNetns;

    @Option(
            names = "--proc-root",
            paramLabel = PROC_ROOT_LABEL,
            defaultValue = PROC_ROOT_DEFAULT,
            description = PROC_ROOT_HELP)
    Path procRoot;

    /** The same two options, bound to this instance, for a command model built by hand. */
    void addTo(CommandSpec spec) {
        spec.addOption(option(() -> hostNetns, v -> hostNetns = v, "--host-netns")
                .paramLabel(HOST_NETNS_LABEL)
                .type(String.class)
                .description(HOST_NETNS_HELP)
                .build());
        spec.addOption(option(() -> procRoot, v -> procRoot = v, "--proc-root")
                .paramLabel(PROC_ROOT_LABEL)
                .type(Path.class)
                .defaultValue(PROC_ROOT_DEFAULT)
                .description(PROC_ROOT_HELP)
                .build());
    }
}
