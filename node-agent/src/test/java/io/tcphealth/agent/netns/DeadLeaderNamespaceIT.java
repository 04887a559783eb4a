package io.tcphealth.agent.netns;

import static org.assertj.core.api.Assertions.assertThat;

import io.tcphealth.agent.nativeio.Libc;
import io.tcphealth.agent.proc.ProcFs;
import io.tcphealth.agent.scan.NamespaceScan;
import io.tcphealth.agent.scan.NodeScan;
import io.tcphealth.agent.scan.NodeScanner;
import io.tcphealth.agent.scan.ScanScope;
import io.tcphealth.agent.socket.TcpState;
import io.tcphealth.agent.socket.netlink.NetlinkSocketSource;
import io.tcphealth.testsupport.TestNetns;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * A network namespace whose only process is a dead thread-group leader (a zombie whose ns links are
 * gone) with one live thread: {@code --scope all} must still find it, through the live thread, and
 * scan its sockets, as {@code ss} in that namespace lists them.
 */
class DeadLeaderNamespaceIT {
    private static final Path PROC = Path.of("/proc");

    @Test
    void aNamespaceKeptOnlyByALiveThreadOfADeadLeaderIsFoundAndScanned() throws Exception {
        try (TestNetns ns = TestNetns.create()) {
            TestNetns.Helper leader = ns.socklab("deadleader", "127.0.0.1", 9301);
            // socklab says ready just before its leader calls pthread_exit
            for (int i = 0;
                    i < 100
                            && !Files.readString(PROC.resolve(leader.pid() + "/status"))
                                    .contains("State:\tZ");
                    i++) {
                Thread.sleep(50);
            }
            assertThat(Files.readString(PROC.resolve(leader.pid() + "/status"))).contains("State:\tZ");
            assertThat(Files.exists(PROC.resolve(leader.pid() + "/ns/net")))
                    .as("a dead leader's ns link is gone")
                    .isFalse();

            NamespaceSweep found = new NamespaceDiscovery(PROC, new HostNetns.Self()).discover();
            NetNamespace netns = found.namespaces().stream()
                    .filter(n -> {
                        try {
                            return n.inode() == ns.inode();
                        } catch (Exception e) {
                            throw new AssertionError(e);
                        }
                    })
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("namespace not found in " + found.namespaces()));
            assertThat(netns.pids()).containsExactly(leader.pid());
            assertThat(netns.path().toString()).startsWith("/proc/" + leader.pid() + "/task/");

            NodeScan scan = new NodeScanner(
                            new ProcFs(PROC),
                            new NamespaceDiscovery(PROC, new HostNetns.Self()),
                            null,
                            new NamespaceExecutor(new Libc()),
                            new NetlinkSocketSource(new Libc()),
                            Clock.systemUTC())
                    .scan(ScanScope.ALL, Set.of());
            NamespaceScan scanned = scan.namespaces().stream()
                    .filter(n -> n.namespace().inode() == netns.inode())
                    .findFirst()
                    .orElseThrow();
            assertThat(scanned.sockets()).singleElement().satisfies(s -> {
                assertThat(s.state()).isEqualTo(TcpState.LISTEN);
                assertThat(s.localPort()).isEqualTo(9301);
            });
            assertThat(ns.ss("state", "listening")).hasSize(1).allMatch(l -> l.contains(":9301"));
        }
    }
}
