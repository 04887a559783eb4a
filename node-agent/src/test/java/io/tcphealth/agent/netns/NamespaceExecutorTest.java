package io.tcphealth.agent.netns;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which paths the executor may try for a namespace: pure path logic, no kernel. */
class NamespaceExecutorTest {

    @Test
    void aProcessPathFallsBackToTheNamespacesOtherProcesses() {
        NetNamespace ns =
                new NetNamespace(7, Path.of("/host/proc/40/ns/net"), false, List.of(40, 41, 42, 43, 44, 45, 46));

        assertThat(NamespaceExecutor.candidatePaths(ns))
                .containsExactly(
                        Path.of("/host/proc/40/ns/net"),
                        Path.of("/host/proc/41/ns/net"),
                        Path.of("/host/proc/42/ns/net"),
                        Path.of("/host/proc/43/ns/net"),
                        Path.of("/host/proc/44/ns/net"));
    }

    @Test
    void otherPathsAreTriedAlone() {
        assertThat(NamespaceExecutor.candidatePaths(
                        new NetNamespace(7, Path.of("/var/run/netns/blue"), false, List.of(40, 41))))
                .containsExactly(Path.of("/var/run/netns/blue"));
        // The path's pid is not one of the namespace's: nothing says the others share a proc root with it.
        assertThat(NamespaceExecutor.candidatePaths(
                        new NetNamespace(7, Path.of("/proc/9/ns/net"), false, List.of(40, 41))))
                .containsExactly(Path.of("/proc/9/ns/net"));
        assertThat(NamespaceExecutor.candidatePaths(new NetNamespace(7, Path.of("ns/net"), false, List.of())))
                .containsExactly(Path.of("ns/net"));
    }
}
