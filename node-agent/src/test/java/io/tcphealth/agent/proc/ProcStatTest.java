package io.tcphealth.agent.proc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ProcStatTest {

    private static String fixture(String name) throws Exception {
        return Files.readString(
                Path.of(ProcStatTest.class.getResource("/proc/stat/" + name).toURI()));
    }

    @Test
    void readsTheFieldsOfAPlainProcess() throws Exception {
        ProcStat s = ProcStat.parse("1/stat", fixture("systemd.txt"));
        assertThat(s).isEqualTo(new ProcStat(1, "systemd", 'S', 0, 4194560, 1, 25));
        assertThat(s.isKernelThread()).isFalse();
    }

    @Test
    void kernelThreadIsToldByPfKthread() throws Exception {
        ProcStat s = ProcStat.parse("2/stat", fixture("kthreadd.txt"));
        assertThat(s.comm()).isEqualTo("kthreadd");
        assertThat(s.isKernelThread()).isTrue();
    }

    @Test
    void commIsBetweenTheFirstOpenAndTheLastCloseParenthesis() throws Exception {
        ProcStat s = ProcStat.parse("2345/stat", fixture("sd-pam.txt"));
        assertThat(s.comm()).isEqualTo("(sd-pam) )");
        assertThat(s.state()).isEqualTo('S');
        assertThat(s.ppid()).isEqualTo(2301);
        assertThat(s.startTicks()).isEqualTo(4242);
    }

    @Test
    void commThatForgesFieldsDoesNotShiftThem() throws Exception {
        String forged = FakeProcTree.statLine(77, "x) Z 1 (y", 'S', 50, 0, 3, 900);
        ProcStat s = ProcStat.parse("77/stat", forged);
        assertThat(s.comm()).isEqualTo("x) Z 1 (y");
        assertThat(s.state()).isEqualTo('S');
        assertThat(s.ppid()).isEqualTo(50);
        assertThat(s.threads()).isEqualTo(3);
        assertThat(s.startTicks()).isEqualTo(900);
    }

    @Test
    void commWithNewlineAndSpaces() throws Exception {
        ProcStat s = ProcStat.parse("8/stat", FakeProcTree.statLine(8, "a b\nc", 'R', 1, 0, 1, 1));
        assertThat(s.comm()).isEqualTo("a b\nc");
        assertThat(s.state()).isEqualTo('R');
    }

    @Test
    void zombieIsDead() throws Exception {
        ProcStat s = ProcStat.parse("4711/stat", fixture("zombie.txt"));
        assertThat(s.state()).isEqualTo('Z');
        assertThat(s.isDead()).isTrue();
        assertThat(s.ppid()).isEqualTo(4700);
    }

    @Test
    void truncatedLineNamesFileAndText() {
        String whole = FakeProcTree.statLine(9, "bash", 'S', 1, 0, 1, 1);
        String truncated = whole.substring(0, whole.length() / 3);
        assertThatThrownBy(() -> ProcStat.parse("/proc/9/stat", truncated))
                .isInstanceOf(ProcParseException.class)
                .hasMessageContaining("/proc/9/stat line 1")
                .hasMessageContaining("fewer than 22 fields")
                .hasMessageContaining("9 (bash) S");
    }

    @Test
    void rejectsMissingParenthesesNegativeAndOverflowingNumbers() {
        assertThatThrownBy(() -> ProcStat.parse("f", "9 bash S 1")).isInstanceOf(ProcParseException.class);
        assertThatThrownBy(() -> ProcStat.parse("f", ")( S 1")).isInstanceOf(ProcParseException.class);
        assertThatThrownBy(() -> ProcStat.parse("f", FakeProcTree.statLine(9, "a", 'S', -4, 0, 1, 1)))
                .hasMessageContaining("bad number");
        String overflow = FakeProcTree.statLine(9, "a", 'S', 1, 0, 1, 1)
                .replace(" 1 0 1 1000 ", " 1 0 99999999999999999999 1000 ");
        assertThatThrownBy(() -> ProcStat.parse("f", overflow)).isInstanceOf(ProcParseException.class);
        assertThatThrownBy(() -> ProcStat.parse("f", "-5 (a) S 1 2 3")).hasMessageContaining("bad pid");
        assertThatThrownBy(() -> ProcStat.parse(
                        "f", FakeProcTree.statLine(9, "a", 'S', 1, 0, 1, 1).replace(") S ", ") SS ")))
                .hasMessageContaining("bad state");
    }

    @Test
    void binaryGarbageIsAParseErrorWithEscapedText() {
        String garbage = "\u0000\u0001\u001b[2J(\u00ff)\u0007";
        assertThatThrownBy(() -> ProcStat.parse("/proc/3/stat", garbage))
                .isInstanceOf(ProcParseException.class)
                .satisfies(e -> {
                    ProcParseException p = (ProcParseException) e;
                    assertThat(p.rawText()).isEqualTo(garbage);
                    assertThat(p.getMessage()).doesNotContain("\u001b").contains("\\x1b");
                });
    }

    @Test
    void hugeLineIsRejectedAndTheMessageStaysShort() {
        String huge = "1 (" + "x".repeat(100_000) + ")";
        assertThatThrownBy(() -> ProcStat.parse("f", huge))
                .isInstanceOf(ProcParseException.class)
                .satisfies(e -> assertThat(e.getMessage().length()).isLessThan(400));
    }

    @Test
    void statusGivesThreadGroupAndUids() throws IOException {
        String text = "Name:\tjava\nUmask:\t0022\nState:\tS (sleeping)\nTgid:\t300\nNgid:\t0\nPid:\t301\nPPid:\t1\n"
                + "TracerPid:\t0\nUid:\t1000\t1001\t1000\t1000\nGid:\t0\t0\t0\t0\nThreads:\t12\n";
        assertThat(ProcStatus.parse("301/status", text)).isEqualTo(new ProcStatus(300, 301, 1, 1000, 1001, 12, 'S'));
        assertThatThrownBy(() -> ProcStatus.parse("s", "Name:\tx\nTgid:\t-1\n")).hasMessageContaining("line 2");
        assertThatThrownBy(() -> ProcStatus.parse("s", "Name:\tx\n")).hasMessageContaining("missing");
    }
}
