package io.tcphealth.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TerminalWidthTest {
    @TempDir
    Path dir;

    @Test
    void anFdOnATerminalDeviceIsAskedAFileOrPipeIsNot() throws Exception {
        assertThat(TerminalWidth.isTerminal(Files.createSymbolicLink(dir.resolve("pts"), Path.of("/dev/pts/3"))))
                .isTrue();
        assertThat(TerminalWidth.isTerminal(Files.createSymbolicLink(dir.resolve("tty"), Path.of("/dev/tty1"))))
                .isTrue();
        assertThat(TerminalWidth.isTerminal(Files.createSymbolicLink(dir.resolve("null"), Path.of("/dev/null"))))
                .isFalse();
        assertThat(TerminalWidth.isTerminal(Files.createSymbolicLink(dir.resolve("pipe"), Path.of("pipe:[123]"))))
                .isFalse();
        assertThat(TerminalWidth.isTerminal(Files.createSymbolicLink(dir.resolve("file"), dir.resolve("out.txt"))))
                .isFalse();
    }

    @Test
    void anUnreadableLinkLeavesTheQuestionToTheTerminal() {
        assertThat(TerminalWidth.isTerminal(dir.resolve("missing"))).isTrue();
    }

    @Test
    void columnsWinAndAPipeGetsTheTableWidth() {
        assertThat(TerminalWidth.of(Map.of("COLUMNS", "77"))).isEqualTo(77);
        // Surefire's standard output is a pipe or a file, never a terminal.
        assertThat(TerminalWidth.of(Map.of())).isEqualTo(io.tcphealth.agent.report.TableRenderer.WIDTH);
    }
}
