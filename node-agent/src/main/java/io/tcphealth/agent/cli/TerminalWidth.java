package io.tcphealth.agent.cli;

import io.tcphealth.agent.nativeio.TerminalSize;
import io.tcphealth.agent.report.TableRenderer;
import java.util.Map;
import java.util.OptionalInt;

/** How wide the table may be: COLUMNS when set, else the terminal's own width (as {@code ps} asks), else a pipe's. */
final class TerminalWidth {
    private static final int STDOUT = 1;

    private TerminalWidth() {}

    static int of(Map<String, String> env) {
        OptionalInt columns = parse(env.get("COLUMNS"));
        if (columns.isEmpty()) {
            columns = TerminalSize.columns(STDOUT);
        }
        return columns.orElse(TableRenderer.WIDTH);
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
