package io.tcphealth.agent.netns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The agent pod's choice of its node's namespace, on hand-made proc trees (only the links' text counts). */
class PodHostNetnsTest {
    @TempDir
    Path proc;

    @Test
    void anOrdinaryNodeKeepsPid1sNamespace() throws IOException {
        link(1, "net:[4026531840]");
        link(4242, "net:[4026531840]");

        PodHostNetns choice = PodHostNetns.read(proc, "4242");

        assertThat(choice.netns()).isEqualTo(new HostNetns.Pid1());
        assertThat(choice.option()).isNull();
        assertThat(choice.explanation()).contains("net:[4026531840]", "PID 1's and this pod's own");
    }

    @Test
    void aNodeInsideANamespaceOfItsMachineTakesThePodsOwn() throws IOException {
        link(1, "net:[4026531840]");
        link(4242, "net:[4026532777]");

        PodHostNetns choice = PodHostNetns.read(proc, "4242");

        assertThat(choice.netns()).isEqualTo(new HostNetns.Self());
        assertThat(choice.option()).isEqualTo("self");
        assertThat(choice.explanation()).contains("net:[4026532777], this pod's own", "not PID 1's net:[4026531840]");
    }

    @Test
    void anUnreadablePid1LeavesThePodsOwnAndSaysWhy() throws IOException {
        link(4242, "net:[4026532777]");

        PodHostNetns choice = PodHostNetns.read(proc, "4242");

        assertThat(choice.netns()).isEqualTo(new HostNetns.Self());
        assertThat(choice.explanation()).contains("net:[4026532777]", "PID 1's could not be read", "1/ns/net");
    }

    @Test
    void withoutItsOwnNamespaceTheAgentCannotChoose() throws IOException {
        link(1, "net:[4026531840]");
        link(4242, "mnt:[4026531841]");

        assertThatThrownBy(() -> PodHostNetns.read(proc, "4242"))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("4242/ns/net")
                .hasMessageContaining("mnt:[4026531841]");
    }

    private void link(int pid, String text) throws IOException {
        Files.createDirectories(proc.resolve(pid + "/ns"));
        Files.createSymbolicLink(proc.resolve(pid + "/ns/net"), Path.of(text));
    }
}
