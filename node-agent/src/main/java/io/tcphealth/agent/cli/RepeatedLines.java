package io.tcphealth.agent.cli;

import java.io.PrintWriter;
import java.io.Writer;
import java.util.HashMap;
import java.util.Map;

/**
 * The run loop's log without its repetitions: a line that says what was already said in the last {@code window}
 * rounds (the same planned action, the same note that comes and goes) is left out, so each round adds one summary
 * line and only news besides. Lines are compared without their leading time stamp. Lines that start with one of the
 * {@code always} prefixes (the per-round summary) always pass.
 */
final class RepeatedLines extends Writer {
    private final PrintWriter out;
    private final int window;
    private final String always;
    private final Map<String, Integer> lastPrinted = new HashMap<>();
    private final StringBuilder line = new StringBuilder();
    private int round;

    RepeatedLines(PrintWriter out, int window, String always) {
        this.out = out;
        this.window = window;
        this.always = always;
    }

    /** Starts the next round: what was printed rounds ago may be said again once the window has passed. */
    synchronized void nextRound() {
        round++;
        lastPrinted.values().removeIf(r -> round - r >= window);
    }

    @Override
    public synchronized void write(char[] buf, int off, int len) {
        for (int i = off; i < off + len; i++) {
            char c = buf[i];
            if (c == '\n') {
                emit(line.toString());
                line.setLength(0);
            } else if (c != '\r') {
                line.append(c);
            }
        }
    }

    private void emit(String text) {
        int space = text.indexOf(' ');
        String message = space > 0 && Character.isDigit(text.charAt(0)) ? text.substring(space + 1) : text;
        if (!message.startsWith(always)) {
            Integer last = lastPrinted.get(message);
            if (last != null) {
                return;
            }
            lastPrinted.put(message, round);
        }
        out.println(text);
    }

    @Override
    public synchronized void flush() {
        out.flush();
    }

    @Override
    public synchronized void close() {
        flush();
    }
}
