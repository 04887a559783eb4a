package io.tcphealth.agent.netns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Grouping processes by namespace on a hand-made proc tree (links point nowhere; only their text counts). */
class NamespaceDiscoveryTest {
    @TempDir
    Path proc;

    @BeforeEach
    void tree() throws IOException {
        link(1, "net:[4026531840]");
        link(2, "net:[4026531840]");
        link(731, "net:[4026532500]");
        link(77, "net:[4026532500]");
        link(900, "net:[4026532600]");
        Files.createDirectories(proc.resolve("555")); // exited between listing and reading: no ns/net
        Files.createDirectories(proc.resolve("556/ns"));
        Files.writeString(proc.resolve("556/ns/net"), "not a link");
        link(557, "mnt:[4026531841]");
        link(558, "net:[banana]");
        Files.createDirectories(proc.resolve("sys/ns")); // not a process
        Files.createSymbolicLink(proc.resolve("self"), Path.of("900"));
    }

    @Test
    void groupsProcessesByInodeWithPid1AsHost() throws IOException {
        NamespaceSweep scan = new NamespaceDiscovery(proc, HostNetns.parse(null)).discover();

        assertThat(scan.namespaces())
                .containsExactly(
                        new NetNamespace(4026531840L, proc.resolve("1/ns/net"), true, List.of(1, 2)),
                        new NetNamespace(4026532500L, proc.resolve("77/ns/net"), false, List.of(77, 731)),
                        new NetNamespace(4026532600L, proc.resolve("900/ns/net"), false, List.of(900)));
        assertThat(scan.host().label()).isEqualTo("host");
        assertThat(scan.namespaces().get(1).label()).isEqualTo("netns:[4026532500]");
        assertThat(scan.processes()).isEqualTo(9);
        assertThat(scan.vanished()).isEqualTo(1);
        assertThat(scan.unreadable()).isEqualTo(3);
        assertThat(scan.unreadableSamples())
                .hasSize(3)
                .anySatisfy(s -> assertThat(s).startsWith("pid 557: ").contains("mnt:[4026531841]"))
                .anySatisfy(s -> assertThat(s).startsWith("pid 558: ").contains("net:[banana]"))
                .anySatisfy(s -> assertThat(s).startsWith("pid 556: "));
    }

    @Test
    void selfMakesTheCallersOwnNamespaceTheHost() throws IOException {
        NamespaceSweep scan = new NamespaceDiscovery(proc, HostNetns.parse("self")).discover();

        assertThat(scan.host())
                .isEqualTo(new NetNamespace(4026532600L, proc.resolve("self/ns/net"), true, List.of(900)));
        assertThat(scan.namespaces())
                .extracting(NetNamespace::inode)
                .containsExactly(4026532600L, 4026531840L, 4026532500L);
        assertThat(scan.namespaces()).filteredOn(NetNamespace::host).hasSize(1);
    }

    @Test
    void aNestedNodeKeepsOnlyItsOwnAndItsPodsNamespaces() throws IOException {
        // 731 and 77 share a pod's namespace (77 is the pause process); 900 is some other namespace of the machine.
        Files.writeString(
                proc.resolve("77/cgroup"),
                "4:memory:/tcphealth-node/kubepods/besteffort/pod5f5c33e1-bd10-4523-8bdf-3eed19861e6e/" + "c".repeat(64)
                        + "\n");
        Files.writeString(proc.resolve("900/cgroup"), "4:memory:/process_api/7a73ec5ffb6b630a9b3f949cf5136330\n");

        NamespaceSweep scan = new NamespaceDiscovery(proc, HostNetns.parse(null), true).discover();

        assertThat(scan.namespaces()).extracting(NetNamespace::inode).containsExactly(4026531840L, 4026532500L);
        assertThat(new NamespaceDiscovery(proc, HostNetns.parse(null), false)
                        .discover()
                        .namespaces())
                .hasSize(3);
    }

    @Test
    void aPathWithoutProcessesStillYieldsTheHostNamespace() throws IOException {
        Path bound = Files.writeString(proc.resolve("bound-netns"), "");
        long inode = ((Number) Files.getAttribute(bound, "unix:ino")).longValue();

        NamespaceSweep scan = new NamespaceDiscovery(proc, HostNetns.parse(bound.toString())).discover();

        assertThat(scan.host()).isEqualTo(new NetNamespace(inode, bound, true, List.of()));
        assertThat(scan.namespaces()).hasSize(4);
    }

    @Test
    void anUnreadableHostNamespaceIsAClearError() {
        assertThatThrownBy(() -> new NamespaceDiscovery(
                                proc, HostNetns.parse(proc.resolve("nowhere").toString()))
                        .discover())
                .isInstanceOf(IOException.class)
                .hasMessage("Cannot read the host network namespace: " + proc.resolve("nowhere")
                        + ": no such file or directory");
    }

    @Test
    void onlyDecimalNamesAreProcesses() {
        assertThat(NamespaceDiscovery.pidOf("42")).isEqualTo(42);
        assertThat(NamespaceDiscovery.pidOf("self")).isEqualTo(-1);
        assertThat(NamespaceDiscovery.pidOf("")).isEqualTo(-1);
        assertThat(NamespaceDiscovery.pidOf("4294967296")).isEqualTo(-1);
        assertThat(NamespaceDiscovery.pidOf("12a")).isEqualTo(-1);
    }

    @Test
    void linkTextMustNameANetworkNamespace() throws IOException {
        Path where = Path.of("/proc/1/ns/net");
        assertThat(NetNamespaceLink.inode("net:[4026531840]", where)).isEqualTo(4026531840L);
        for (String bad : new String[] {
            "net:[]", "net:[-1]", "net:4026531840", "pid:[4026531840]", "net:[99999999999999999999999]"
        }) {
            assertThatThrownBy(() -> NetNamespaceLink.inode(bad, where))
                    .as(bad)
                    .hasMessageContaining("/proc/1/ns/net points to \"" + bad + "\"");
        }
    }

    private void link(int pid, String target) throws IOException {
        Path ns = Files.createDirectories(proc.resolve(pid + "/ns"));
        Files.createSymbolicLink(ns.resolve("net"), Path.of(target));
    }
}
