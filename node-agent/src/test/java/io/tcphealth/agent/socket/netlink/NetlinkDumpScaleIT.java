package io.tcphealth.agent.socket.netlink;

import static org.assertj.core.api.Assertions.assertThat;

import io.tcphealth.agent.nativeio.Libc;
import io.tcphealth.agent.netns.NamespaceExecutor;
import io.tcphealth.agent.netns.NetNamespace;
import io.tcphealth.agent.socket.TcpSocket;
import io.tcphealth.agent.socket.TcpState;
import io.tcphealth.testsupport.TestNetns;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Thousands of sockets: the dump spans dozens of datagrams and must still equal {@code ss}. Prints
 * how long a dump takes, for the record (no assertion on time).
 */
class NetlinkDumpScaleIT {
    /** Helpers of 400 connections each stay under the common 1024 open-files limit. */
    private static final int HELPERS = 10;

    private static final int PAIRS_PER_HELPER = 400;

    @Test
    void aLargeDumpIsCompleteAndEqualsSs() throws Exception {
        try (TestNetns netns = TestNetns.create()) {
            for (int i = 0; i < HELPERS; i++) {
                netns.socklab("established", "127.0.0.1", 7100 + i, PAIRS_PER_HELPER);
            }
            NetNamespace target = new NetNamespace(netns.inode(), netns.path(), false, List.of());
            NamespaceExecutor executor = new NamespaceExecutor(new Libc(), Duration.ofSeconds(60));
            NetlinkSocketSource source = new NetlinkSocketSource(new Libc());

            List<TcpSocket> dumped = executor.call(target, () -> source.sockets(TcpState.all()));
            List<String> ss = netns.ss("-e");

            int expected = HELPERS * (1 + 2 * PAIRS_PER_HELPER);
            assertThat(dumped).hasSize(expected);
            assertThat(dumped.stream().map(SsLine::keyOf).toList())
                    .containsExactlyInAnyOrderElementsOf(
                            ss.stream().map(l -> SsLine.parse(l, null).key()).toList());

            long[] nanos = executor.call(target, () -> {
                long[] runs = new long[7];
                for (int i = 0; i < runs.length; i++) {
                    long start = System.nanoTime();
                    source.sockets(TcpState.all());
                    runs[i] = System.nanoTime() - start;
                }
                return runs;
            });
            Arrays.sort(nanos);
            System.out.printf(
                    "Netlink dump of %d sockets: median %.1f ms, fastest %.1f ms (7 runs)%n",
                    expected, nanos[3] / 1e6, nanos[0] / 1e6);
        }
    }
}
