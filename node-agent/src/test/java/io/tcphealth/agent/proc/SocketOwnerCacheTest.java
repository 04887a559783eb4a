package io.tcphealth.agent.proc;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SocketOwnerCacheTest {
    @TempDir
    Path root;

    private FakeProcTree tree;
    private SocketOwnerCache cache;

    @BeforeEach
    void setUp() {
        tree = new FakeProcTree(root)
                .process(100, "server", 'S', 1)
                .socketFd(100, 3, 5001)
                .socketFd(100, 4, 5002)
                .link("100/fd/5", "/var/log/server.log")
                .process(200, "client", 'S', 1)
                .socketFd(200, 3, 5003)
                .kernelThread(2, "kthreadd");
        cache = new SocketOwnerCache(tree.procFs(), 1000);
    }

    /** A process table as the reader would report it: start time and fd count are what the cache compares. */
    private static ProcessTable table(int[][] pidStartFds) {
        List<ProcessInfo> processes = new ArrayList<>();
        for (int[] p : pidStartFds) {
            processes.add(new ProcessInfo(p[0], 1, 'S', "p" + p[0], p[1], 1, p[2], 1024, false, null));
        }
        processes.add(new ProcessInfo(2, 0, 'I', "kthreadd", 5, 1, 0, -1, true, null));
        return ProcessTable.of(processes);
    }

    private static final ProcessTable BOTH = table(new int[][] {{100, 1100, 3}, {200, 1200, 1}});
    private static final Set<Integer> ALL_CANDIDATES = Set.of(100, 200);

    private SocketOwnerIndex scan(ProcessTable processes, long[] listed, Set<Long> wanted) {
        return scan(processes, ALL_CANDIDATES, listed, wanted);
    }

    private SocketOwnerIndex scan(ProcessTable processes, Set<Integer> candidates, long[] listed, Set<Long> wanted) {
        ScanProblems problems = new ScanProblems();
        SocketOwnerIndex index = cache.owners(processes, candidates, listed, wanted, problems);
        assertThat(problems.isEmpty()).as(problems.toString()).isTrue();
        return index;
    }

    @Test
    void firstScanReadsEveryProcessAndAgreesWithTheFullWalk() throws Exception {
        SocketOwnerIndex index = scan(BOTH, new long[] {5001, 5002, 5003}, Set.of(5001L, 5003L));

        SocketOwnerIndex walked = new SocketOwners(tree.procFs())
                .scan(SocketOwners.Scope.everything().onlyInodes(Set.of(5001L, 5003L)), new ScanProblems());
        assertThat(index.inodes()).isEqualTo(walked.inodes()).containsExactlyInAnyOrder(5001L, 5003L);
        assertThat(index.ownersOf(5001)).isEqualTo(walked.ownersOf(5001)).containsExactly(new SocketOwner(100, 3));
        assertThat(index.ownersOf(5003)).isEqualTo(walked.ownersOf(5003)).containsExactly(new SocketOwner(200, 3));
        assertThat(cache.lastStats()).isEqualTo(new SocketOwnerCache.Stats(2, 0, 4, true));
    }

    @Test
    void unchangedProcessesAreNotReadAgain() {
        long[] listed = {5001, 5002, 5003};
        scan(BOTH, listed, Set.of(5001L, 5003L));
        SocketOwnerIndex again = scan(BOTH, listed, Set.of(5002L, 5003L));

        assertThat(again.ownersOf(5002))
                .as("remembered although not wanted before")
                .containsExactly(new SocketOwner(100, 4));
        assertThat(again.ownersOf(5003)).containsExactly(new SocketOwner(200, 3));
        assertThat(cache.lastStats()).isEqualTo(new SocketOwnerCache.Stats(0, 2, 0, false));
    }

    @Test
    void aClosedSocketWhoseFdNumberWasReusedMakesTheProcessBeReadAgain() {
        scan(BOTH, new long[] {5001, 5002, 5003}, Set.of(5001L, 5003L));
        // 5002 closed, fd 4 now holds a new socket: same fd count.
        tree.delete("100/fd/4").socketFd(100, 4, 5004);
        SocketOwnerIndex index = scan(BOTH, new long[] {5001, 5003, 5004}, Set.of(5004L));

        assertThat(index.ownersOf(5004)).containsExactly(new SocketOwner(100, 4));
        assertThat(cache.lastStats()).isEqualTo(new SocketOwnerCache.Stats(1, 1, 3, false));
    }

    @Test
    void aRememberedOwnerOfAWantedSocketIsCheckedBeforeItIsReported() throws Exception {
        scan(BOTH, new long[] {5001, 5002, 5003}, Set.of(5001L));
        // fd 3 re-pointed (dup2) at 5002; 5001 lives on, held by a process not visible here.
        tree.delete("100/fd/3").socketFd(100, 3, 5002);
        SocketOwnerIndex index = scan(BOTH, new long[] {5001, 5002, 5003}, Set.of(5001L, 5002L));

        SocketOwnerIndex walked = new SocketOwners(tree.procFs())
                .scan(SocketOwners.Scope.everything().onlyInodes(Set.of(5001L, 5002L)), new ScanProblems());
        assertThat(index.ownersOf(5001)).isEqualTo(walked.ownersOf(5001)).isEmpty();
        assertThat(index.ownersOf(5002))
                .isEqualTo(walked.ownersOf(5002))
                .containsExactly(new SocketOwner(100, 3), new SocketOwner(100, 4));
    }

    @Test
    void aFileReplacedByAWantedSocketIsFoundByReadingEverything() {
        scan(BOTH, new long[] {5001, 5002, 5003}, Set.of(5001L));
        // The log file at fd 5 closed and a socket took its number: same count, every socket alive.
        tree.delete("100/fd/5").socketFd(100, 5, 5005);
        SocketOwnerIndex index = scan(BOTH, new long[] {5001, 5002, 5003, 5005}, Set.of(5005L));

        assertThat(index.ownersOf(5005)).containsExactly(new SocketOwner(100, 5));
        assertThat(cache.lastStats().fullRead()).isTrue();
    }

    @Test
    void aSocketNobodyHoldsDoesNotMakeEveryScanReadEverything() {
        long[] listed = {5001, 5002, 5003, 9999};
        scan(BOTH, listed, Set.of(9999L));
        SocketOwnerIndex index = scan(BOTH, listed, Set.of(9999L));

        assertThat(index.ownersOf(9999)).isEmpty();
        assertThat(cache.lastStats()).isEqualTo(new SocketOwnerCache.Stats(0, 2, 0, false));
    }

    @Test
    void aReusedPidIsANewProcess() {
        scan(BOTH, new long[] {5001, 5002, 5003}, Set.of(5001L));
        tree.delete("200/fd/3").socketFd(200, 3, 5006);
        ProcessTable restarted = table(new int[][] {{100, 1100, 3}, {200, 9999, 1}});
        SocketOwnerIndex index = scan(restarted, new long[] {5001, 5002, 5003, 5006}, Set.of(5006L));

        assertThat(index.ownersOf(5006)).containsExactly(new SocketOwner(200, 3));
        assertThat(cache.lastStats()).isEqualTo(new SocketOwnerCache.Stats(1, 1, 1, false));
    }

    @Test
    void aChangedFdCountMakesTheProcessBeReadAgain() {
        scan(BOTH, new long[] {5001, 5002, 5003}, Set.of(5001L));
        tree.socketFd(200, 4, 5007);
        ProcessTable grown = table(new int[][] {{100, 1100, 3}, {200, 1200, 2}});
        SocketOwnerIndex index = scan(grown, new long[] {5001, 5002, 5003, 5007}, Set.of(5007L));

        assertThat(index.ownersOf(5007)).containsExactly(new SocketOwner(200, 4));
        assertThat(cache.lastStats()).isEqualTo(new SocketOwnerCache.Stats(1, 1, 2, false));
    }

    @Test
    void aHolderOutsideTheCandidatesIsFoundOnceAndThenWatched() {
        long[] listed = {5001, 5002, 5003};
        scan(BOTH, Set.of(100), listed, Set.of(5001L));
        assertThat(cache.lastStats().fullRead())
                .as("the first scan reads every process")
                .isTrue();

        // 5003 becomes worth attributing; its holder lives outside the scanned namespaces.
        SocketOwnerIndex index = scan(BOTH, Set.of(100), listed, Set.of(5003L));
        assertThat(index.ownersOf(5003)).containsExactly(new SocketOwner(200, 3));

        SocketOwnerIndex again = scan(BOTH, Set.of(100), listed, Set.of(5003L));
        assertThat(again.ownersOf(5003)).containsExactly(new SocketOwner(200, 3));
        assertThat(cache.lastStats())
                .as("adopted, not found by reading everything again")
                .isEqualTo(new SocketOwnerCache.Stats(0, 2, 0, false));
    }

    @Test
    void processesOutsideTheCandidatesAreSkippedWhenNothingIsMissing() {
        long[] listed = {5001, 5002, 5003};
        scan(BOTH, Set.of(100), listed, Set.of(5001L));
        scan(BOTH, Set.of(100), listed, Set.of(5001L));
        assertThat(cache.lastStats()).isEqualTo(new SocketOwnerCache.Stats(0, 1, 0, false));
    }

    @Test
    void everyNthScanReadsEverything() {
        SocketOwnerCache everySecond = new SocketOwnerCache(tree.procFs(), 2);
        long[] listed = {5001, 5002, 5003};
        List<Boolean> full = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            everySecond.owners(BOTH, ALL_CANDIDATES, listed, Set.of(5001L), new ScanProblems());
            full.add(everySecond.lastStats().fullRead());
        }
        assertThat(full).containsExactly(true, false, true, false);
    }

    @Test
    void aScanWithNothingToAttributeReadsNothingAndTheNextOneReadsTheNode() {
        long[] listed = {5001, 5002, 5003};
        assertThat(scan(BOTH, listed, Set.of()).size()).isZero();
        assertThat(cache.lastStats()).isEqualTo(new SocketOwnerCache.Stats(0, 0, 0, false));

        scan(BOTH, listed, Set.of(5001L));
        assertThat(cache.lastStats())
                .as("100 first (the bigger fd table), then done")
                .isEqualTo(new SocketOwnerCache.Stats(1, 0, 3, true));
    }

    @Test
    void theScannedNamespacesAreReadBiggestFdTableFirstOnlyUntilEverySocketHasAnOwner() {
        long[] listed = {5001, 5002, 5003};
        SocketOwnerIndex first = scan(BOTH, listed, Set.of(5001L));
        assertThat(first.ownersOf(5001)).containsExactly(new SocketOwner(100, 3));
        assertThat(cache.lastStats())
                .as("100 holds 3 fds, 200 one: 100 is read first, and 200, unrelated, not at all")
                .isEqualTo(new SocketOwnerCache.Stats(1, 0, 3, true));

        SocketOwnerCache fresh = new SocketOwnerCache(tree.procFs(), 1000);
        SocketOwnerIndex second = fresh.owners(BOTH, ALL_CANDIDATES, listed, Set.of(5003L), new ScanProblems());
        assertThat(second.ownersOf(5003)).containsExactly(new SocketOwner(200, 3));
        assertThat(fresh.lastStats())
                .as("200's socket: 100 first, then 200")
                .isEqualTo(new SocketOwnerCache.Stats(2, 0, 4, true));
    }

    @Test
    void aSocketKnownToBeOwnerlessDoesNotKeepTheWalkGoing() {
        long[] listed = {5001, 5002, 5003, 9999};
        scan(BOTH, listed, Set.of(5001L, 9999L));
        assertThat(cache.lastStats())
                .as("nobody holds 9999: everything is read")
                .isEqualTo(new SocketOwnerCache.Stats(2, 0, 4, true));

        // 200 opened a file: its table is out of date, but 5001 has its owner and 9999 had none after a full read.
        tree.link("200/fd/4", "/var/log/client.log");
        ProcessTable grown = table(new int[][] {{100, 1100, 3}, {200, 1200, 2}});
        SocketOwnerIndex index = scan(grown, listed, Set.of(5001L, 9999L));

        assertThat(index.ownersOf(5001)).containsExactly(new SocketOwner(100, 3));
        assertThat(index.ownersOf(9999)).isEmpty();
        assertThat(cache.lastStats()).isEqualTo(new SocketOwnerCache.Stats(0, 1, 0, false));
    }

    private static ProcessInfo process(int pid, int ppid, int fds) {
        return new ProcessInfo(pid, ppid, 'S', "p" + pid, 1000 + pid, 1, fds, 1024, false, null);
    }

    @Test
    void aReadOfTheNodeStopsOutsideTheCandidatesOnceEverySocketHasAnOwnerButReadsTheHoldersRelatives()
            throws Exception {
        // 300 is 100's child and shares 5001 with it (inherited); 400 is 300's child; 200 is unrelated.
        tree.process(300, "worker", 'S', 100)
                .socketFd(300, 7, 5001)
                .process(400, "helper", 'S', 300)
                .link("400/fd/0", "/dev/null");
        ProcessTable family = ProcessTable.of(
                List.of(process(100, 1, 3), process(200, 1, 1), process(300, 100, 1), process(400, 300, 1)));

        SocketOwnerIndex index = scan(family, Set.of(100), new long[] {5001, 5002, 5003}, Set.of(5001L));

        SocketOwnerIndex walked = new SocketOwners(tree.procFs())
                .scan(SocketOwners.Scope.everything().onlyInodes(Set.of(5001L)), new ScanProblems());
        assertThat(index.ownersOf(5001))
                .as("every holder of the shared socket, as the walk of every process finds them")
                .isEqualTo(walked.ownersOf(5001))
                .containsExactly(new SocketOwner(100, 3), new SocketOwner(300, 7));
        assertThat(cache.lastStats())
                .as("100, then its descendants 300 and 400; not the unrelated 200")
                .isEqualTo(new SocketOwnerCache.Stats(3, 0, 5, true));
    }

    @Test
    void aSocketOnceOwnerlessButNoLongerWantedDoesNotStopTheWalkEarly() {
        long[] listed = {5001, 5002, 5003, 9999};
        scan(BOTH, listed, Set.of(5001L, 9999L));

        // 9999 is gone; 200 opened a file, so its table must be read again to find 5003.
        tree.link("200/fd/4", "/var/log/client.log");
        ProcessTable grown = table(new int[][] {{100, 1100, 3}, {200, 1200, 2}});
        SocketOwnerIndex index = scan(grown, new long[] {5001, 5002, 5003}, Set.of(5001L, 5003L));

        assertThat(index.ownersOf(5003)).containsExactly(new SocketOwner(200, 3));
        assertThat(cache.lastStats())
                .as("200 read in the walk itself, not by a second walk of everything")
                .isEqualTo(new SocketOwnerCache.Stats(1, 1, 2, false));
    }

    @Test
    void severalReadersFindTheSameOwnersAsOne() throws Exception {
        tree.process(300, "worker", 'S', 100)
                .socketFd(300, 7, 5001)
                .process(400, "helper", 'S', 300)
                .link("400/fd/0", "/dev/null")
                .process(500, "other", 'S', 1)
                .socketFd(500, 3, 5008);
        ProcessTable family = ProcessTable.of(List.of(
                process(100, 1, 3),
                process(200, 1, 1),
                process(300, 100, 1),
                process(400, 300, 1),
                process(500, 1, 1)));
        long[] listed = {5001, 5002, 5003, 5008};
        Set<Long> wanted = Set.of(5001L, 5003L, 5008L);

        SocketOwnerIndex one = new SocketOwnerCache(tree.procFs(), 1000, 1)
                .owners(family, Set.of(100, 200, 300, 400, 500), listed, wanted, new ScanProblems());
        SocketOwnerCache parallel = new SocketOwnerCache(tree.procFs(), 1000, 3);
        ScanProblems problems = new ScanProblems();
        SocketOwnerIndex three = parallel.owners(family, Set.of(100, 200, 300, 400, 500), listed, wanted, problems);

        assertThat(problems.isEmpty()).as(problems.toString()).isTrue();
        for (long inode : wanted) {
            assertThat(three.ownersOf(inode)).as("owners of %d", inode).isEqualTo(one.ownersOf(inode));
        }
        assertThat(three.ownersOf(5001)).containsExactly(new SocketOwner(100, 3), new SocketOwner(300, 7));
        assertThat(parallel.lastStats().processesRead()).isEqualTo(5);
    }

    @Test
    void aReadOfTheNodeLooksAtTheSocketCreatorsProcessesFirst() throws Exception {
        // 5003's holder, 200, runs as uid 4242; nothing is a candidate, so the node is read in ReadOrder's order.
        java.nio.file.Files.setAttribute(root.resolve("200"), "unix:uid", 4242);
        Set<Long> wanted = Set.of(5003L);

        SocketOwnerIndex byUid =
                cache.owners(BOTH, Set.of(), new long[] {5001, 5002, 5003}, wanted, Set.of(4242), new ScanProblems());
        assertThat(byUid.ownersOf(5003)).containsExactly(new SocketOwner(200, 3));
        assertThat(cache.lastStats()).as("200 first, then done").isEqualTo(new SocketOwnerCache.Stats(1, 0, 1, true));

        SocketOwnerCache inPidOrder = new SocketOwnerCache(tree.procFs(), 1000);
        SocketOwnerIndex byPid =
                inPidOrder.owners(BOTH, Set.of(), new long[] {5001, 5002, 5003}, wanted, Set.of(), new ScanProblems());
        assertThat(byPid.ownersOf(5003)).containsExactly(new SocketOwner(200, 3));
        assertThat(inPidOrder.lastStats()).isEqualTo(new SocketOwnerCache.Stats(2, 0, 4, true));
    }

    @Test
    void aSocketStillWithoutAnOwnerMakesTheReadGoOnThroughEveryProcess() {
        SocketOwnerIndex index = cache.owners(
                BOTH, Set.of(), new long[] {5001, 5003, 9999}, Set.of(5001L, 9999L), Set.of(0), new ScanProblems());
        assertThat(index.ownersOf(5001)).containsExactly(new SocketOwner(100, 3));
        assertThat(index.ownersOf(9999)).isEmpty();
        assertThat(cache.lastStats()).isEqualTo(new SocketOwnerCache.Stats(2, 0, 4, true));
    }
}
