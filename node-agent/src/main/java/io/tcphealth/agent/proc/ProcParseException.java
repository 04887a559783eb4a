package io.tcphealth.agent.proc;

import java.io.IOException;

/**
 * A procfs file did not look the way the kernel writes it. Names the file, the line (1-based; 0 when
 * the problem is the file as a whole) and the raw text, shortened and with control bytes escaped so
 * that hostile content cannot forge log lines.
 */
public final class ProcParseException extends IOException {
    private static final int MAX_RAW_CHARS = 160;

    private final String file;
    private final int lineNumber;
    private final String rawText;

    public ProcParseException(String file, int lineNumber, String rawText, String problem) {
        super(file + (lineNumber > 0 ? " line " + lineNumber : "") + ": " + problem + ": \"" + printable(rawText)
                + "\"");
        this.file = file;
        this.lineNumber = lineNumber;
        this.rawText = rawText;
    }

    public String file() {
        return file;
    }

    public int lineNumber() {
        return lineNumber;
    }

    /** The offending text exactly as read (may be long or contain control characters). */
    public String rawText() {
        return rawText;
    }

    static String printable(String raw) {
        if (raw == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(Math.min(raw.length(), MAX_RAW_CHARS) + 8);
        for (int i = 0; i < raw.length(); i++) {
            if (out.length() >= MAX_RAW_CHARS) {
                out.append("...(").append(raw.length()).append(" chars)");
                break;
            }
            char c = raw.charAt(i);
            if (c == '\n') {
                out.append("\\n");
            } else if (c < 0x20 || c == 0x7f || c == '"' || c == '\\') {
                out.append(String.format("\\x%02x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
