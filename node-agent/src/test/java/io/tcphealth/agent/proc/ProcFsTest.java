package io.tcphealth.agent.proc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcFsTest {
    /** What the hint says depends on who runs the tests (root with or without CAP_SYS_PTRACE, or not). */
    private static final String HINT = Privileges.current().fdHint();

    @TempDir
    Path root;

    @Test
    void listsNumericDirectoriesOnlyInOrder() throws Exception {
        FakeProcTree tree = new FakeProcTree(root);
        tree.process(300, "a", 'S', 1).process(2, "b", 'S', 1).process(10, "c", 'S', 1);
        tree.dir("self").dir("thread-self").dir("sys/net").dir("1x").dir("007a").dir("-3");
        tree.dir("99999999999");
        assertThat(tree.procFs().pids()).containsExactly(2, 10, 300);
    }

    @Test
    void pathsResolveUnderTheRoot() {
        ProcFs fs = new ProcFs(root);
        assertThat(fs.path("net", "tcp")).isEqualTo(root.resolve("net/tcp"));
        assertThat(fs.pidPath(7, "fd")).isEqualTo(root.resolve("7/fd"));
        assertThat(fs.taskPath(7, 8, "stat")).isEqualTo(root.resolve("7/task/8/stat"));
        assertThat(ProcFs.host().root()).isEqualTo(Path.of("/proc"));
    }

    @Test
    void readsUpToTheCapAndRejectsMore() throws Exception {
        ProcFs fs = new ProcFs(root);
        Files.writeString(root.resolve("exact"), "x".repeat(100));
        Files.writeString(root.resolve("big"), "y".repeat(101));
        Files.writeString(root.resolve("large"), "z".repeat(200_000));
        assertThat(fs.read(root.resolve("exact"), 100)).hasSize(100);
        assertThatThrownBy(() -> fs.read(root.resolve("big"), 100))
                .isInstanceOf(ProcParseException.class)
                .hasMessageContaining("larger than 100 bytes");
        assertThat(fs.read(root.resolve("large"), 300_000)).hasSize(200_000);
        assertThatThrownBy(() -> fs.read(root.resolve("large"))).isInstanceOf(ProcParseException.class);
    }

    @Test
    void binaryContentIsReadNotTrusted() throws Exception {
        Files.write(root.resolve("bin"), new byte[] {0, (byte) 0xff, (byte) 0xc3, 10, 65});
        String text = new ProcFs(root).read(root.resolve("bin"));
        assertThat(text).hasSize(5).endsWith("\nA");
    }

    @Test
    void missingFilesAreVanishedForReadIfPresent() throws Exception {
        ProcFs fs = new ProcFs(root);
        assertThat(fs.readIfPresent(fs.pidPath(5, "stat"))).isEmpty();
        assertThat(fs.readLinkIfPresent(fs.pidPath(5, "fd/3"))).isEmpty();
        assertThat(fs.tids(5)).isEmpty();
        assertThatThrownBy(() -> fs.read(fs.pidPath(5, "stat"))).isInstanceOf(NoSuchFileException.class);
    }

    @Test
    void classifiesVanishedAndPermissionErrors() {
        assertThat(ProcFs.isVanished(new NoSuchFileException("/proc/1/stat"))).isTrue();
        assertThat(ProcFs.isVanished(new FileSystemException("/proc/1/stat", null, "No such process")))
                .isTrue();
        assertThat(ProcFs.isVanished(new IOException("No such process"))).isTrue();
        assertThat(ProcFs.isVanished(new AccessDeniedException("/proc/1/fd"))).isFalse();
        assertThat(ProcFs.isPermissionDenied(new AccessDeniedException("/proc/1/fd")))
                .isTrue();
        assertThat(ProcFs.isPermissionDenied(new FileSystemException("/proc/1/fd", null, "Operation not permitted")))
                .isTrue();
        assertThat(ProcFs.isPermissionDenied(new IOException("Input/output error")))
                .isFalse();
    }

    @Test
    void permissionProblemsOnOneKindOfFileMakeOneLine() {
        ScanProblems p = new ScanProblems();
        for (int pid = 1; pid <= 300; pid++) {
            p.couldNotRead(Path.of("/proc/" + pid + "/fd"), new AccessDeniedException("/proc/" + pid + "/fd"));
        }
        p.couldNotRead(Path.of("/proc/7/task/8/fd"), new AccessDeniedException("/proc/7/task/8/fd"));

        assertThat(p.count()).isEqualTo(301);
        assertThat(p.permissionDenied()).isEqualTo(301);
        assertThat(p.messages())
                .containsExactly(
                        "could not read /proc/<n>/fd for 300 entries (like /proc/1/fd): permission denied (" + HINT
                                + ")",
                        "could not read /proc/7/task/8/fd: permission denied (" + HINT + ")");
        assertThat(p.omitted()).isEqualTo(299);
    }

    @Test
    void problemsAreCappedClassifiedAndPhrasedForOperators() {
        ScanProblems p = new ScanProblems();
        p.couldNotRead(Path.of("/proc/1/fd"), new AccessDeniedException("/proc/1/fd"));
        p.couldNotRead(Path.of("/proc/2/stat"), new ProcParseException("/proc/2/stat", 1, "junk", "no (comm)"));
        p.countVanished();
        for (int i = 0; i < 100; i++) {
            p.add("problem " + i);
        }
        assertThat(p.count()).isEqualTo(102);
        assertThat(p.permissionDenied()).isEqualTo(1);
        assertThat(p.malformed()).isEqualTo(1);
        assertThat(p.vanished()).isEqualTo(1);
        assertThat(p.messages()).hasSize(1 + ScanProblems.MAX_MESSAGES);
        assertThat(p.omitted()).isEqualTo(102 - 1 - ScanProblems.MAX_MESSAGES);
        assertThat(p.messages().get(0)).isEqualTo("could not read /proc/1/fd: permission denied (" + HINT + ")");
        assertThat(p.messages().get(1))
                .contains("/proc/2/stat line 1: no (comm)")
                .contains("junk");
    }

    @Test
    void linesAreStreamedWithALengthCap() throws Exception {
        String text = "first\n\nthird no newline";
        try (ProcLines lines =
                ProcLines.of("t", new ByteArrayInputStream(text.getBytes(StandardCharsets.US_ASCII)), 20)) {
            assertThat(lines.next()).isEqualTo("first");
            assertThat(lines.next()).isEmpty();
            assertThat(lines.next()).isEqualTo("third no newline");
            assertThat(lines.lineNumber()).isEqualTo(3);
            assertThat(lines.next()).isNull();
        }
        String longLine = "ok\n" + "a".repeat(21) + "\n";
        try (ProcLines lines = ProcLines.of(
                "/proc/net/tcp", new ByteArrayInputStream(longLine.getBytes(StandardCharsets.US_ASCII)), 20)) {
            assertThat(lines.next()).isEqualTo("ok");
            assertThatThrownBy(lines::next)
                    .isInstanceOf(ProcParseException.class)
                    .hasMessageContaining("/proc/net/tcp line 2: line longer than 20 characters");
        }
    }

    @Test
    void linesSpanningReadChunks() throws Exception {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 20_000; i++) {
            sb.append("line ").append(i).append('\n');
        }
        try (ProcLines lines =
                ProcLines.of("t", new ByteArrayInputStream(sb.toString().getBytes(StandardCharsets.US_ASCII)), 100)) {
            int n = 0;
            String l;
            while ((l = lines.next()) != null) {
                assertThat(l).isEqualTo("line " + n);
                n++;
            }
            assertThat(n).isEqualTo(20_000);
        }
    }

    @Test
    void numbers() {
        assertThat(ProcNumbers.decimal("9223372036854775807")).isEqualTo(Long.MAX_VALUE);
        assertThat(ProcNumbers.decimal("9223372036854775808")).isEqualTo(-1);
        assertThat(ProcNumbers.decimal("9999999999999999999")).isEqualTo(-1);
        assertThat(ProcNumbers.decimal("-1")).isEqualTo(-1);
        assertThat(ProcNumbers.decimal("")).isEqualTo(-1);
        assertThat(ProcNumbers.decimal("1 2")).isEqualTo(-1);
        assertThat(ProcNumbers.decimal("\u0661")).isEqualTo(-1);
        assertThat(ProcNumbers.decimalInt("2147483648")).isEqualTo(-1);
        assertThat(ProcNumbers.hex("7FFFFFFFFFFFFFFF", 0, 16)).isEqualTo(Long.MAX_VALUE);
        assertThat(ProcNumbers.hex("FFFFFFFFFFFFFFFF", 0, 16)).isEqualTo(-1);
        assertThat(ProcNumbers.hex("1f90", 0, 4)).isEqualTo(0x1f90);
        assertThat(ProcNumbers.hex("1g", 0, 2)).isEqualTo(-1);
        assertThat(ProcNumbers.hex("\uff11", 0, 1)).isEqualTo(-1);
    }
}
