package io.tcphealth.agent.cli;

import io.tcphealth.agent.nativeio.ErrorText;
import io.tcphealth.agent.proc.Privileges;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Whether the host's network namespace (PID 1's) can be read. When it cannot, a scan falls back to the command's
 * own namespace: a report about the wrong namespace must say so, loudly, and not pass for a healthy host.
 */
final class HostNetnsCheck {
    private HostNetnsCheck() {}

    /** Null when PID 1's namespace is readable; else what to tell the person, with a hint that fits who they are. */
    static String unreadable(Path procRoot) {
        Path link = procRoot.resolve("1/ns/net");
        try {
            Files.readSymbolicLink(link);
            return null;
        } catch (IOException e) {
            return "cannot read the host's network namespace (" + ErrorText.of(e) + "), so this report describes this "
                    + "command's own network namespace instead. "
                    + Privileges.current().hostNamespaceHint()
                    + " To diagnose this namespace on purpose, pass --host-netns self.";
        }
    }
}
