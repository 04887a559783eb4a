package io.tcphealth.agent.netns;

import static org.assertj.core.api.Assertions.assertThat;

import io.tcphealth.testsupport.TestNetns;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Discovery on the real /proc: a helper in a private namespace shows up under that namespace's inode. */
class NamespaceDiscoveryIT {

    @Test
    void findsTheHelpersNamespaceAndHonoursTheHostChoice() throws Exception {
        try (TestNetns netns = TestNetns.create()) {
            int pid = netns.socklab("listen", "127.0.0.1", 7001).pid();
            long mine = NamespaceExecutor.currentInode();

            NamespaceSweep scan = new NamespaceDiscovery(Path.of("/proc"), HostNetns.parse("self")).discover();

            assertThat(scan.host().inode()).isEqualTo(mine);
            assertThat(scan.host().pids())
                    .contains((int) ProcessHandle.current().pid());
            long theirs = netns.inode();
            assertThat(scan.namespaces())
                    .filteredOn(ns -> ns.inode() == theirs)
                    .singleElement()
                    .satisfies(ns -> {
                        assertThat(ns.host()).isFalse();
                        assertThat(ns.pids()).contains(pid);
                        assertThat(ns.path())
                                .isEqualTo(Path.of("/proc/" + ns.pids().getFirst() + "/ns/net"));
                    });

            NamespaceSweep fromPath = new NamespaceDiscovery(
                            Path.of("/proc"), HostNetns.parse(netns.path().toString()))
                    .discover();

            assertThat(fromPath.host().inode()).isEqualTo(theirs);
            assertThat(fromPath.host().path()).isEqualTo(netns.path());
            assertThat(fromPath.host().pids()).contains(pid);
            assertThat(fromPath.namespaces())
                    .filteredOn(ns -> ns.inode() == mine)
                    .singleElement()
                    .satisfies(ns -> assertThat(ns.host()).isFalse());
        }
    }
}
