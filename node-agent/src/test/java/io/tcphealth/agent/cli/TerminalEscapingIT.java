package io.tcphealth.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.tcphealth.testsupport.Commands;
import io.tcphealth.testsupport.TestNetns;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real process whose name holds an escape sequence (set the window title), a bell and a newline: the table
 * shows it as {@code ps} does, and nothing of it reaches the terminal as a control character.
 */
class TerminalEscapingIT {
    private static final String NAME = "ev\u001b]0;own\u0007\nx";

    @TempDir
    Path tmp;

    @Test
    void aProcessNamedWithEscapeAndNewlineIsShownAsPsShowsIt() throws Exception {
        Path program = Files.copy(Path.of("/bin/sleep"), tmp.resolve(NAME));
        try (TestNetns ns = TestNetns.create()) {
            // The parent of a zombie that it never reaps: diagnose names it in a ZombieProcesses finding.
            Process p = ns.start("sh", "-c", "sleep 0 & exec \"$0\" 60", program.toString());
            long pid = p.pid();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (!(Files.readString(Path.of("/proc/" + pid + "/comm")).equals(NAME + "\n")
                    && Commands.run("ps", "-o", "stat=", "--ppid", Long.toString(pid))
                            .contains("Z"))) {
                assertThat(System.nanoTime())
                        .as("the named parent and its zombie appear")
                        .isLessThan(deadline);
                Thread.sleep(100);
            }
            String ps =
                    Commands.run("ps", "-o", "comm=", "-p", Long.toString(pid)).strip();

            StringWriter out = new StringWriter();
            String[] args = {"diagnose", "--host-netns", ns.path().toString()};
            var cli = TcpHealthCli.commandLine(args);
            cli.setOut(new PrintWriter(out));
            cli.setErr(new PrintWriter(new StringWriter()));
            cli.execute(args);
            String table = out.toString();

            assertThat(ps).isEqualTo("ev?]0;own??x");
            assertThat(table).contains(ps + " (" + pid + ")");
            assertThat(table.chars()
                            .filter(c -> (c < 0x20 && c != '\n') || c == 0x7f)
                            .count())
                    .as(table)
                    .isZero();
            assertThat(table.lines().filter(l -> l.startsWith("x")))
                    .as("the newline in the name starts no line")
                    .isEmpty();
        }
    }
}
