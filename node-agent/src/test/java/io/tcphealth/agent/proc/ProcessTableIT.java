package io.tcphealth.agent.proc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tcphealth.agent.nativeio.Libc;
import io.tcphealth.agent.netns.NamespaceExecutor;
import io.tcphealth.agent.netns.NetNamespace;
import io.tcphealth.agent.socket.TcpSocket;
import io.tcphealth.agent.socket.TcpState;
import io.tcphealth.agent.socket.proc.ProcNetTcpSource;
import io.tcphealth.testsupport.Commands;
import io.tcphealth.testsupport.TestNetns;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The process table and socket owners on the real /proc, against ps and ss. */
class ProcessTableIT {
    private static final ProcFs PROC = ProcFs.host();

    private static ProcessTable table() throws Exception {
        ScanProblems problems = new ScanProblems();
        ProcessTable t = new ProcessTableReader(PROC).read(problems);
        assertThat(problems.permissionDenied()).as(problems.toString()).isZero();
        assertThat(problems.malformed()).as(problems.toString()).isZero();
        return t;
    }

    @Test
    void zombieUnderALiveParentAsPsShowsIt() throws Exception {
        Process sh = new ProcessBuilder("sh", "-c", "sleep 0 & exec sleep 60").start();
        try {
            int parent = (int) sh.pid();
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                ProcessTable t = table();
                assertThat(t.zombiesByParent().get(parent))
                        .isNotNull()
                        .singleElement()
                        .satisfies(z -> {
                            assertThat(z.comm()).isEqualTo("sleep");
                            assertThat(z.state()).isEqualTo('Z');
                            assertThat(z.ppid()).isEqualTo(parent);
                        });
                assertThat(t.find(parent).orElseThrow().comm()).isEqualTo("sleep");
            });
            ProcessInfo zombie = table().zombiesByParent().get(parent).get(0);
            String ps = Commands.run("ps", "-o", "pid=,ppid=,stat=,comm=", "-p", Integer.toString(zombie.pid()));
            String[] f = ps.trim().split("\\s+");
            assertThat(Integer.parseInt(f[0])).isEqualTo(zombie.pid());
            assertThat(Integer.parseInt(f[1])).isEqualTo(parent);
            assertThat(f[2]).startsWith("Z");
            assertThat(table().childrenOf(parent)).extracting(ProcessInfo::pid).contains(zombie.pid());
        } finally {
            sh.destroyForcibly();
            sh.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void manyZombiesOfOneParent() throws Exception {
        try (TestNetns ns = TestNetns.create()) {
            int parent = ns.socklab("zombies", 3).pid();
            await().atMost(Duration.ofSeconds(20))
                    .untilAsserted(() ->
                            assertThat(table().zombiesByParent().get(parent)).hasSize(3));
            String ps = Commands.run("ps", "-o", "stat=", "--ppid", Integer.toString(parent));
            assertThat(ps.lines().filter(l -> l.trim().startsWith("Z")).count()).isEqualTo(3);
        }
    }

    @Test
    void deadLeaderWhoseThreadStillHoldsAListener() throws Exception {
        NamespaceExecutor executor = new NamespaceExecutor(new Libc(), Duration.ofSeconds(30));
        try (TestNetns ns = TestNetns.create()) {
            int pid = ns.socklab("deadleader", "127.0.0.1", 7201).pid();
            await().atMost(Duration.ofSeconds(20))
                    .untilAsserted(() -> assertThat(table().liveThreads(pid)).hasSize(1));
            ProcessTable t = table();
            assertThat(t.find(pid).orElseThrow().state()).isEqualTo('Z');
            assertThat(t.zombieLeadersWithLiveThreads())
                    .extracting(ProcessInfo::pid)
                    .contains(pid);
            assertThat(t.zombiesByParent().values().stream()
                            .flatMap(List::stream)
                            .map(ProcessInfo::pid))
                    .doesNotContain(pid);
            assertThat(t.find(pid).orElseThrow().openFds())
                    .as("fds counted through the live thread")
                    .isPositive();

            NetNamespace target = new NetNamespace(ns.inode(), ns.path(), false, List.of());
            TcpSocket listener = executor
                    .call(
                            target,
                            () -> ProcNetTcpSource.forCallingThread(PROC).sockets(java.util.Set.of(TcpState.LISTEN)))
                    .stream()
                    .filter(s -> s.localPort() == 7201)
                    .findFirst()
                    .orElseThrow();
            ScanProblems problems = new ScanProblems();
            SocketOwnerIndex owners = new SocketOwners(PROC).scan(SocketOwners.Scope.pids(List.of(pid)), problems);
            assertThat(owners.ownersOf(listener.inode()))
                    .singleElement()
                    .satisfies(o -> assertThat(o.pid()).isEqualTo(pid));
            assertThat(PROC.read(PROC.pidPath(pid, "fd/../stat"))).isNotEmpty();
        }
    }

    @Test
    void thisJvmAsProcfsDescribesIt() throws Exception {
        int self = (int) ProcessHandle.current().pid();
        ProcessInfo me = table().find(self).orElseThrow();
        assertThat(me.comm()).isEqualTo("java");
        assertThat(me.state()).isIn('R', 'S');
        assertThat(me.threads()).isGreaterThan(1);
        assertThat(me.openFds()).isPositive();
        assertThat(me.kernelThread()).isFalse();
        String limit = Commands.run("sh", "-c", "ulimit -n").trim();
        assertThat(me.fdSoftLimit()).isEqualTo(limit.equals("unlimited") ? -1 : Long.parseLong(limit));
        assertThat(me.ppid())
                .isEqualTo((int) ProcessHandle.current().parent().orElseThrow().pid());
    }

    @Test
    void kernelThreadsAreFlagged() throws Exception {
        ProcessTable t = table();
        assumeTrue(
                t.find(2).map(p -> p.comm().equals("kthreadd")).orElse(false), "kthreadd visible (host pid namespace)");
        assertThat(t.find(2).orElseThrow().kernelThread()).isTrue();
        assertThat(t.childrenOf(2)).isNotEmpty().allSatisfy(p -> {
            assertThat(p.kernelThread()).isTrue();
            assertThat(p.container()).isNull();
        });
    }
}
