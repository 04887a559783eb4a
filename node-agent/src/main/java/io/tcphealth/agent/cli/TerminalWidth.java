package io.tcphealth.agent.cli;

import io.tcphealth.agent.nativeio.TerminalSize;
import io.tcphealth.agent.report.TableRenderer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.OptionalInt;

/** How wide the table may be: COLUMNS when set, else the terminal's own width (as {@code ps} asks), else a pipe's. */
final class TerminalWidth {
    private static final int STDOUT = 1;

    private TerminalWidth() {}

    static int of(Map<String, String> env) {
        OptionalInt columns = parse(env.get("COLUMNS"));
        if (columns.isEmpty() && isTerminal(Path.of("/proc/self/fd/" + STDOUT))) {
            columns = TerminalSize.columns(STDOUT);
        }
        return columns.orElse(TableRenderer.WIDTH);
    }

    /**
     * Whether the fd behind {@code link} is a terminal device, told from its link text without a native call: asking
     * the terminal's size links an FFM downcall, tens of milliseconds of a one-shot command's start-up, which output
     * into a pipe or a file has no use for. When the link cannot be read, the terminal is asked.
     */
    static boolean isTerminal(Path link) {
        String target;
        try {
            target = Files.readSymbolicLink(link).toString();
        } catch (IOException | UnsupportedOperationException e) {
            return true;
        }
        return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty") || target.equals("/dev/console");
    }

    static OptionalInt parse(String value) {
        if (value == null) {
            return OptionalInt.empty();
        }
        try {
            int n = Integer.parseInt(value.trim());
            return n > 0 ? OptionalInt.of(n) : OptionalInt.empty();
        } catch (NumberFormatException e) {
            return OptionalInt.empty();
        }
    }
}
