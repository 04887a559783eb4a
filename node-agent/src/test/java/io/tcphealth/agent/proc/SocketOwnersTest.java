package io.tcphealth.agent.proc;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SocketOwnersTest {
    @TempDir
    Path root;

    private FakeProcTree tree() {
        return new FakeProcTree(root)
                .process(1, "init", 'S', 0)
                .process(100, "nginx", 'S', 1)
                .socketFd(100, 3, 5001)
                .socketFd(100, 4, 5002)
                .link("100/fd/0", "anon_inode:[eventfd]")
                .link("100/fd/5", "anon_inode:[eventpoll]")
                .link("100/fd/6", "socket:[]")
                .link("100/fd/7", "socket:[12x]")
                .link("100/fd/8", "pipe:[5003]")
                .process(101, "nginx", 'S', 100)
                .socketFd(101, 3, 5001)
                .socketFd(101, 9, 5001)
                .kernelThread(2, "kthreadd");
    }

    @Test
    void mapsEverySocketInodeToItsHolders() throws Exception {
        ScanProblems problems = new ScanProblems();
        SocketOwnerIndex index = new SocketOwners(tree().procFs()).scan(SocketOwners.Scope.everything(), problems);
        assertThat(index.inodes()).containsExactlyInAnyOrder(5001L, 5002L);
        assertThat(index.ownersOf(5001))
                .containsExactly(new SocketOwner(100, 3), new SocketOwner(101, 3), new SocketOwner(101, 9));
        assertThat(index.ownersOf(5002)).containsExactly(new SocketOwner(100, 4));
        assertThat(index.ownersOf(0)).isEmpty();
        assertThat(index.ownersOf(5003)).as("pipes are not sockets").isEmpty();
        assertThat(problems.isEmpty()).as(problems.toString()).isTrue();
    }

    @Test
    void restrictedToPidsAndWantedInodes() throws Exception {
        SocketOwners owners = new SocketOwners(tree().procFs());
        SocketOwnerIndex onePid = owners.scan(SocketOwners.Scope.pids(List.of(101)), new ScanProblems());
        assertThat(onePid.inodes()).containsExactly(5001L);
        assertThat(onePid.ownersOf(5001)).extracting(SocketOwner::pid).containsOnly(101);

        SocketOwnerIndex oneInode =
                owners.scan(SocketOwners.Scope.everything().onlyInodes(Set.of(5002L)), new ScanProblems());
        assertThat(oneInode.inodes()).containsExactly(5002L);

        assertThat(owners.scan(SocketOwners.Scope.everything().onlyInodes(Set.of()), new ScanProblems())
                        .size())
                .isZero();
    }

    @Test
    void deadLeaderSocketsAreFoundThroughLiveThreads() throws Exception {
        FakeProcTree tree = tree().process(200, "server", 'Z', 1)
                .thread(200, 201, "server", 'S')
                .taskSocketFd(200, 201, 7, 6001);
        SocketOwnerIndex index =
                new SocketOwners(tree.procFs()).scan(SocketOwners.Scope.everything(), new ScanProblems());
        assertThat(index.ownersOf(6001)).containsExactly(new SocketOwner(200, 7));
    }

    @Test
    void vanishedPidsAreNormal() throws Exception {
        FakeProcTree tree = tree().process(300, "short-lived", 'S', 1);
        tree.delete("300/fd");
        ScanProblems problems = new ScanProblems();
        SocketOwnerIndex index =
                new SocketOwners(tree.procFs()).scan(SocketOwners.Scope.pids(List.of(300, 4000, 100)), problems);
        assertThat(index.ownersOf(5002)).containsExactly(new SocketOwner(100, 4));
        assertThat(problems.isEmpty()).isTrue();
        assertThat(problems.vanished()).isEqualTo(2);
    }

    @Test
    void readingThroughLibcFindsWhatJavaNioFinds() throws Exception {
        assertThat(FdDirectoryReader.ifAvailable())
                .as("getdents64 and readlinkat in this libc")
                .isPresent();
        FakeProcTree tree = tree().process(200, "server", 'Z', 1)
                .thread(200, 201, "server", 'S')
                .taskSocketFd(200, 201, 7, 6001)
                .process(300, "short-lived", 'S', 1);
        for (int fd = 10; fd < 2000; fd++) {
            tree.socketFd(101, fd, 70_000 + fd);
        }
        tree.delete("300/fd");
        ScanProblems nioProblems = new ScanProblems();
        ScanProblems fastProblems = new ScanProblems();
        SocketOwnerIndex nio = new SocketOwners(tree.procFs()).scan(SocketOwners.Scope.everything(), nioProblems);
        SocketOwnerIndex fast =
                SocketOwners.withFastReads(tree.procFs()).scan(SocketOwners.Scope.everything(), fastProblems);

        assertThat(fast.inodes()).hasSize(2 + 1 + 1990).isEqualTo(nio.inodes());
        for (long inode : nio.inodes()) {
            assertThat(fast.ownersOf(inode)).as("owners of %d", inode).isEqualTo(nio.ownersOf(inode));
        }
        assertThat(fast.ownersOf(6001)).containsExactly(new SocketOwner(200, 7));
        assertThat(fastProblems.isEmpty()).as(fastProblems.toString()).isTrue();
        assertThat(fastProblems.vanished()).isEqualTo(nioProblems.vanished()).isEqualTo(1);
    }

    @Test
    void linkTextParsing() {
        assertThat(SocketOwners.socketInode("socket:[12345]")).isEqualTo(12345);
        assertThat(SocketOwners.socketInode("socket:[18446744073709551615]")).isEqualTo(-1);
        assertThat(SocketOwners.socketInode("socket:[]")).isEqualTo(-1);
        assertThat(SocketOwners.socketInode("socket:[-1]")).isEqualTo(-1);
        assertThat(SocketOwners.socketInode("socket:[12")).isEqualTo(-1);
        assertThat(SocketOwners.socketInode("/tmp/socket:[12]")).isEqualTo(-1);
        assertThat(SocketOwners.socketInode("pipe:[12]")).isEqualTo(-1);
    }
}
