package io.tcphealth.agent.netns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tcphealth.testsupport.TestNetns;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * A node inside a network namespace, for real: a process in a namespace of its own stands for the agent pod of
 * such a node, while PID 1 of this machine stays outside. The choice must be that process's namespace, whether
 * PID 1's can be read or not (some machines deny even root a look at their init).
 */
class PodHostNetnsIT {

    @Test
    void anAgentInsideANodeNamespaceTakesItsOwn() throws Exception {
        long pid1 = pid1Inode();
        try (TestNetns node = TestNetns.create()) {
            int agent = node.socklab("listen", "127.0.0.1", 9464).pid();

            PodHostNetns choice = PodHostNetns.read(Path.of("/proc"), Integer.toString(agent));

            assertThat(choice.netns()).isEqualTo(new HostNetns.Self());
            assertThat(choice.explanation()).contains("net:[" + node.inode() + "], this pod's own");
            assertThat(choice.explanation())
                    .contains(pid1 < 0 ? "PID 1's could not be read" : "not PID 1's net:[" + pid1 + "]");
        }
    }

    @Test
    void anAgentInPid1sNamespaceKeepsIt() throws Exception {
        long pid1 = pid1Inode();
        assumeTrue(pid1 >= 0, "PID 1's namespace is not readable on this machine");
        assumeTrue(pid1 == NamespaceExecutor.currentInode(), "this test does not run in PID 1's namespace");

        PodHostNetns choice = PodHostNetns.read(Path.of("/proc"), "self");

        assertThat(choice.netns()).isEqualTo(new HostNetns.Pid1());
        assertThat(choice.explanation()).contains("net:[" + pid1 + "], PID 1's and this pod's own");
    }

    private static long pid1Inode() {
        Path link = Path.of("/proc/1/ns/net");
        try {
            return NetNamespaceLink.inode(Files.readSymbolicLink(link).toString(), link);
        } catch (IOException e) {
            return -1;
        }
    }
}
