package io.tcphealth.agent.proc;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcessTableReaderTest {
    private static final String ID = "3f4e5d6c7b8a99887766554433221100ffeeddccbbaa99887766554433221100";

    @TempDir
    Path root;

    @Test
    void readsProcessesWithFdsLimitsAndContainers() throws Exception {
        FakeProcTree tree = new FakeProcTree(root)
                .process(1, "systemd", 'S', 0)
                .kernelThread(2, "kthreadd")
                .kernelThread(15, "rcu_preempt")
                .process(100, "java app", 'S', 1)
                .socketFd(100, 3, 111)
                .socketFd(100, 4, 112)
                .link("100/fd/0", "anon_inode:[eventfd]")
                .file(
                        "100/cgroup",
                        "0::/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod1234abcd_5678_9abc_def0_123456789abc.slice/cri-containerd-"
                                + ID + ".scope\n");
        ScanProblems problems = new ScanProblems();
        ProcessTable table = new ProcessTableReader(tree.procFs()).read(problems);

        assertThat(problems.isEmpty()).as(problems.toString()).isTrue();
        assertThat(table.size()).isEqualTo(4);
        ProcessInfo app = table.find(100).orElseThrow();
        assertThat(app)
                .isEqualTo(new ProcessInfo(
                        100,
                        1,
                        'S',
                        "java app",
                        1100,
                        1,
                        3,
                        1024,
                        false,
                        new ContainerRef("containerd", ID, "1234abcd-5678-9abc-def0-123456789abc")));
        ProcessInfo kthread = table.find(15).orElseThrow();
        assertThat(kthread.kernelThread()).isTrue();
        assertThat(kthread.container()).isNull();
        assertThat(table.find(1).orElseThrow().container()).isNull();
        assertThat(table.childrenOf(1)).extracting(ProcessInfo::pid).containsExactly(100);
        assertThat(table.childrenOf(2)).extracting(ProcessInfo::pid).containsExactly(15);
        assertThat(table.find(4242)).isEmpty();
    }

    @Test
    void groupsZombiesByTheParentThatShouldReapThem() throws Exception {
        FakeProcTree tree = new FakeProcTree(root)
                .process(1, "init", 'S', 0)
                .process(50, "sleep", 'S', 1)
                .process(51, "sleep", 'Z', 50)
                .process(52, "worker", 'Z', 50)
                .process(60, "other", 'Z', 1);
        ProcessTable table = new ProcessTableReader(tree.procFs()).read(new ScanProblems());
        assertThat(table.zombiesByParent()).containsOnlyKeys(1, 50);
        assertThat(table.zombiesByParent().get(50)).extracting(ProcessInfo::pid).containsExactly(51, 52);
        assertThat(table.zombieLeadersWithLiveThreads()).isEmpty();
        assertThat(table.liveThreads(51)).isEmpty();
    }

    @Test
    void deadLeaderWithLiveThreadsIsNotAReapableZombie() throws Exception {
        FakeProcTree tree = new FakeProcTree(root)
                .process(1, "init", 'S', 0)
                .process(70, "server", 'Z', 1)
                .thread(70, 71, "server", 'S')
                .thread(70, 72, "server", 'Z')
                .taskSocketFd(70, 71, 5, 999)
                .taskSocketFd(70, 71, 6, 1000);
        ProcessTable table = new ProcessTableReader(tree.procFs()).read(new ScanProblems());
        assertThat(table.liveThreads(70)).containsExactly(71);
        assertThat(table.zombieLeadersWithLiveThreads())
                .extracting(ProcessInfo::pid)
                .containsExactly(70);
        assertThat(table.zombiesByParent()).isEmpty();
        assertThat(table.find(70).orElseThrow().openFds())
                .as("fds counted through the live thread")
                .isEqualTo(2);
    }

    @Test
    void processesVanishingMidScanAreSkippedOrKeepWhatWasRead() throws Exception {
        FakeProcTree tree = new FakeProcTree(root)
                .process(1, "init", 'S', 0)
                .process(80, "gone-before-stat", 'S', 1)
                .process(81, "gone-after-stat", 'S', 1);
        tree.delete("80/stat");
        tree.delete("81/fd").delete("81/limits").delete("81/cgroup");
        ScanProblems problems = new ScanProblems();
        ProcessTable table = new ProcessTableReader(tree.procFs()).read(problems);
        assertThat(table.find(80)).isEmpty();
        ProcessInfo partial = table.find(81).orElseThrow();
        assertThat(partial.openFds()).isEqualTo(-1);
        assertThat(partial.fdSoftLimit()).isEqualTo(-1);
        assertThat(partial.container()).isNull();
        assertThat(problems.isEmpty()).as(problems.toString()).isTrue();
        assertThat(problems.vanished()).isEqualTo(1);
    }

    @Test
    void malformedFilesAreRecordedAndTheScanGoesOn() throws Exception {
        FakeProcTree tree = new FakeProcTree(root)
                .process(1, "init", 'S', 0)
                .process(90, "bad-stat", 'S', 1)
                .process(91, "bad-limits", 'S', 1)
                .process(92, "bad-cgroup", 'S', 1);
        tree.file("90/stat", "90 (truncated) S 1 9");
        tree.file("91/limits", "Max open files   lots  lots  files\n");
        tree.file("92/cgroup", "\u0000\u0001binary\n");
        ScanProblems problems = new ScanProblems();
        ProcessTable table = new ProcessTableReader(tree.procFs()).read(problems);
        assertThat(table.all()).extracting(ProcessInfo::pid).containsExactly(1, 91, 92);
        assertThat(table.find(91).orElseThrow().fdSoftLimit()).isEqualTo(-1);
        assertThat(problems.malformed()).isEqualTo(3);
        assertThat(problems.messages())
                .anySatisfy(m -> assertThat(m).contains("90/stat").contains("fewer than 22 fields"));
        assertThat(problems.messages())
                .anySatisfy(m -> assertThat(m).contains("91/limits").contains("bad limit 'lots'"));
        assertThat(problems.messages())
                .anySatisfy(m -> assertThat(m).contains("92/cgroup line 1").contains("\\x00"));
    }

    @Test
    void tableBuiltByHandForOtherTests() {
        ProcessInfo parent = new ProcessInfo(10, 1, 'S', "p", 1, 1, 3, 1024, false, null);
        ProcessInfo zombie = new ProcessInfo(11, 10, 'Z', "z", 2, 1, 0, 1024, false, null);
        ProcessTable t = ProcessTable.of(List.of(parent, zombie));
        assertThat(t.zombiesByParent()).containsOnlyKeys(10);
        assertThat(t.childrenOf(10)).containsExactly(zombie);
        assertThat(t.all()).containsExactly(parent, zombie);
    }
}
