package io.tcphealth.agent.report;

/**
 * Text from the system made safe for a terminal, as {@code ps} shows command names: every character that is not
 * printable becomes {@code ?}. A process may name itself anything (prctl(PR_SET_NAME), the name of the file it ran),
 * escape sequences and newlines included; printed raw, such a name could move the cursor, recolour or retitle the
 * terminal, or fake report lines.
 */
public final class TerminalText {
    private TerminalText() {}

    public static String escape(String s) {
        if (s == null) {
            return null;
        }
        StringBuilder b = null;
        for (int i = 0; i < s.length(); ) {
            int c = s.codePointAt(i);
            int n = Character.charCount(c);
            if (!printable(c)) {
                if (b == null) {
                    b = new StringBuilder(s.length()).append(s, 0, i);
                }
                b.append('?');
            } else if (b != null) {
                b.appendCodePoint(c);
            }
            i += n;
        }
        return b == null ? s : b.toString();
    }

    /** Control characters (C0, DEL, C1), invisible format characters (bidirectional overrides), line separators. */
    static boolean printable(int c) {
        return switch (Character.getType(c)) {
            case Character.CONTROL,
                    Character.FORMAT,
                    Character.LINE_SEPARATOR,
                    Character.PARAGRAPH_SEPARATOR,
                    Character.SURROGATE,
                    Character.UNASSIGNED,
                    Character.PRIVATE_USE -> false;
            default -> true;
        };
    }
}
