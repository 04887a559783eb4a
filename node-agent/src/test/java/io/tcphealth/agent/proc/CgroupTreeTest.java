package io.tcphealth.agent.proc;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The tree's logic on ordinary folders (a cgroup's id is its directory's inode there too); SocketCgroupIT has the kernel's. */
class CgroupTreeTest {
    @TempDir
    Path root;

    private Path cgroup(Path dir, String... pids) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("cgroup.controllers"), "");
        Files.writeString(dir.resolve("cgroup.procs"), pids.length == 0 ? "" : String.join("\n", pids) + "\n");
        return dir;
    }

    private static long id(Path dir) throws IOException {
        return ((Number) Files.getAttribute(dir, "unix:ino")).longValue();
    }

    @Test
    void aFolderWithoutTheV2FilesIsNoHierarchyAndAHybridHostHasItsTreeUnderUnified() throws IOException {
        assertThat(CgroupTree.at(root)).isEmpty();

        cgroup(root.resolve("unified"), "1");
        assertThat(CgroupTree.at(root).orElseThrow().root()).isEqualTo(root.resolve("unified"));
    }

    @Test
    void namesACgroupByItsIdAndReadsItsProcessesButNotTheRoots() throws IOException {
        cgroup(root, "1", "2", "3");
        Path service = cgroup(root.resolve("system.slice/nginx.service"), "100", "101");
        CgroupTree tree = CgroupTree.at(root).orElseThrow();

        assertThat(tree.paths(Set.of(id(service), id(root))))
                .containsOnly(
                        java.util.Map.entry(id(service), "/system.slice/nginx.service"),
                        java.util.Map.entry(id(root), "/"));
        assertThat(tree.pidsIn(Set.of(id(service), id(root), 0L))).containsExactlyInAnyOrder(100, 101);
        assertThat(tree.pidsIn(Set.of(id(root)))).as("the root says nothing").isEmpty();
    }

    @Test
    void aCgroupMadeAfterTheListingIsFoundByListingAgain() throws IOException {
        cgroup(root);
        CgroupTree tree = CgroupTree.at(root).orElseThrow();
        assertThat(tree.pidsIn(Set.of(id(root)))).isEmpty();

        Path pod = cgroup(root.resolve("kubepods.slice/kubepods-pod1234.slice/cri-containerd-ab.scope"), "4242");
        assertThat(tree.pidsIn(Set.of(id(pod)))).containsExactly(4242);

        Files.delete(pod.resolve("cgroup.procs"));
        assertThat(tree.pidsIn(Set.of(id(pod)))).as("gone since it was listed").isEmpty();
    }

    @Test
    void aRemovedCgroupIsLookedForOnceNotOnEveryCall() throws IOException {
        cgroup(root);
        Path pod = cgroup(root.resolve("kubepods.slice/kubepods-pod1234.slice"), "4242");
        long removed = id(pod);
        CgroupTree tree = CgroupTree.at(root).orElseThrow();
        assertThat(tree.pidsIn(Set.of(id(root)))).isEmpty();
        assertThat(tree.listings()).isEqualTo(1);

        // A new cgroup, and the pod's removed: its orphans outlive it, so their id stays in every scan. (Made in this
        // order so that the folder's inode is not handed on, as a tmpfs may; the kernel never reuses a cgroup id.)
        Path other = cgroup(root.resolve("system.slice"), "7");
        Files.delete(pod.resolve("cgroup.procs"));
        Files.delete(pod.resolve("cgroup.controllers"));
        Files.delete(pod);
        assertThat(tree.paths(Set.of(removed, id(other)))).containsOnlyKeys(id(other));
        assertThat(tree.listings()).as("listed again for the new cgroup").isEqualTo(2);
        for (int scan = 0; scan < 3; scan++) {
            assertThat(tree.paths(Set.of(removed))).isEmpty();
            assertThat(tree.pidsIn(Set.of(removed))).isEmpty();
        }
        assertThat(tree.listings()).as("not again for the removed one").isEqualTo(2);
    }
}
