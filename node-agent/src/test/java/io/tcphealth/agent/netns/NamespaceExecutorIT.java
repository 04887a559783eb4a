package io.tcphealth.agent.netns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tcphealth.agent.nativeio.ErrnoException;
import io.tcphealth.agent.nativeio.Libc;
import io.tcphealth.testsupport.TestNetns;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Entering a private namespace on a fresh thread, for real. */
class NamespaceExecutorIT {
    /** 7001 as /proc/net/tcp writes ports: four hex digits after the address. */
    private static final String PORT_7001 = ":1B59 ";

    private static TestNetns netns;
    private static NetNamespace target;
    private final NamespaceExecutor executor = new NamespaceExecutor(new Libc(), Duration.ofSeconds(30));

    @BeforeAll
    static void namespaceWithAListener() throws Exception {
        netns = TestNetns.create();
        try {
            target = new NetNamespace(netns.inode(), netns.path(), false, List.of());
            netns.socklab("listen", "127.0.0.1", 7001);
        } catch (Exception | Error e) {
            netns.close();
            throw e;
        }
    }

    @AfterAll
    static void removeEverything() {
        if (netns != null) {
            netns.close();
        }
    }

    @Test
    void theWorkerEntersWhileTheCallerStaysWhereItWas() throws Exception {
        long before = NamespaceExecutor.currentInode();
        assertThat(before).isNotEqualTo(target.inode());

        long inside = executor.call(target, NamespaceExecutor::currentInode);

        assertThat(inside).isEqualTo(target.inode());
        assertThat(NamespaceExecutor.currentInode()).isEqualTo(before);
        assertThat(Files.readSymbolicLink(Path.of("/proc/self/ns/net")).toString())
                .isEqualTo("net:[" + before + "]");
    }

    @Test
    void theWorkerSeesTheNamespacesSocketsInThreadSelf() throws Exception {
        String inside = executor.call(target, () -> readProc("/proc/thread-self/net/tcp"));

        assertThat(inside).contains("0100007F" + PORT_7001); // 127.0.0.1:7001
        assertThat(readProc("/proc/thread-self/net/tcp")).doesNotContain("0100007F" + PORT_7001);
    }

    @Test
    void everyCallGetsAFreshPlatformThread() throws Exception {
        Thread caller = Thread.currentThread();
        Thread first = executor.call(target, Thread::currentThread);
        Thread second = executor.call(target, Thread::currentThread);

        assertThat(first).isNotSameAs(second).isNotSameAs(caller);
        assertThat(first.isVirtual()).isFalse();
        first.join(10_000);
        assertThat(first.isAlive()).isFalse();
    }

    @Test
    void theCallersOwnNamespaceNeedsNoSetns() throws Exception {
        long mine = NamespaceExecutor.currentInode();
        // A path that cannot be opened: the call only works because it never tries to.
        NetNamespace self = new NetNamespace(mine, Path.of("/nonexistent/ns/net"), true, List.of());

        assertThat(executor.call(self, NamespaceExecutor::currentInode)).isEqualTo(mine);
        assertThat(executor.callInCurrent(NamespaceExecutor::currentInode)).isEqualTo(mine);
    }

    @Test
    void aMissingPathIsAClearError() {
        NetNamespace gone = new NetNamespace(4026539999L, Path.of("/proc/999999999/ns/net"), false, List.of());

        assertThatThrownBy(() -> executor.call(gone, () -> "never"))
                .isInstanceOf(NamespaceException.class)
                .hasMessage("Cannot enter network namespace netns:[4026539999] through /proc/999999999/ns/net: "
                        + "open(/proc/999999999/ns/net): ENOENT (No such file or directory)")
                .cause()
                .isInstanceOfSatisfying(
                        ErrnoException.class, e -> assertThat(e.errno()).isEqualTo(2));
    }

    @Test
    void whenTheFirstProcessIsGoneAnotherOfTheNamespaceLetsTheWorkerIn() throws Exception {
        int helper = netns.socklab("listen", "127.0.0.1", 7002).pid();
        NetNamespace found =
                new NetNamespace(target.inode(), Path.of("/proc/999999999/ns/net"), false, List.of(999999999, helper));

        assertThat(executor.call(found, NamespaceExecutor::currentInode)).isEqualTo(target.inode());
    }

    @Test
    void aFileThatIsNoNamespaceIsRefusedByTheKernel() {
        NetNamespace notNs = new NetNamespace(1L, Path.of("/proc/self/status"), false, List.of());

        assertThatThrownBy(() -> executor.call(notNs, () -> "never"))
                .isInstanceOf(NamespaceException.class)
                .hasMessageContaining("setns(")
                .hasMessageContaining("EINVAL");
    }

    @Test
    void aPathNowNamingAnotherNamespaceIsCaught() {
        NetNamespace stale = new NetNamespace(target.inode() + 1, target.path(), false, List.of());

        assertThatThrownBy(() -> executor.call(stale, () -> "never"))
                .isInstanceOf(NamespaceException.class)
                .hasMessageContaining("Entered network namespace net:[" + target.inode() + "]")
                .hasMessageContaining("instead of netns:[" + (target.inode() + 1) + "]");
    }

    @Test
    void exceptionsOfTheTaskReachTheCaller() {
        IOException io = new IOException("dump failed");
        IllegalStateException unchecked = new IllegalStateException("bug");
        Exception checked = new Exception("odd");

        assertThatThrownBy(() -> executor.call(target, () -> {
                    throw io;
                }))
                .isSameAs(io);
        assertThatThrownBy(() -> executor.call(target, () -> {
                    throw unchecked;
                }))
                .isSameAs(unchecked);
        assertThatThrownBy(() -> executor.call(target, () -> {
                    throw checked;
                }))
                .isInstanceOf(NamespaceException.class)
                .hasCause(checked);
    }

    @Test
    void aTaskThatOverrunsIsInterruptedAndReported() throws Exception {
        NamespaceExecutor impatient = new NamespaceExecutor(new Libc(), Duration.ofMillis(200));
        CountDownLatch interrupted = new CountDownLatch(1);

        assertThatThrownBy(() -> impatient.call(target, () -> {
                    try {
                        Thread.sleep(60_000);
                    } catch (InterruptedException e) {
                        interrupted.countDown();
                    }
                    return null;
                }))
                .isInstanceOf(NamespaceException.class)
                .hasMessage("Work in network namespace netns:[" + target.inode() + "] did not finish within PT0.2S");
        assertThat(interrupted.await(10, TimeUnit.SECONDS)).isTrue();
    }

    /** One large read: procfs files report size 0. */
    private static String readProc(String path) throws IOException {
        try (BufferedReader r = new BufferedReader(
                new InputStreamReader(Files.newInputStream(Path.of(path)), StandardCharsets.US_ASCII))) {
            StringBuilder out = new StringBuilder();
            r.lines().forEach(l -> out.append(l).append('\n'));
            return out.toString();
        }
    }
}
