package io.tcphealth.agent.proc;

/**
 * Numbers as procfs prints them: unsigned decimal and hexadecimal without sign or prefix. Anything
 * else (a sign, a blank, garbage, a value past {@code Long.MAX_VALUE}) gives -1, which the callers
 * turn into a {@link ProcParseException} naming the file.
 */
public final class ProcNumbers {
    private ProcNumbers() {}

    /** {@code s[from, to)} as an unsigned decimal, or -1. */
    public static long decimal(CharSequence s, int from, int to) {
        if (from >= to || to - from > 19) {
            return -1;
        }
        long v = 0;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        // 19 digits can pass Long.MAX_VALUE; they wrap (once) into the negative range.
        return v < 0 ? -1 : v;
    }

    public static long decimal(CharSequence s) {
        return decimal(s, 0, s.length());
    }

    /** {@code s[from, to)} as unsigned hexadecimal that fits in 63 bits, or -1. */
    public static long hex(CharSequence s, int from, int to) {
        if (from >= to) {
            return -1;
        }
        long v = 0;
        for (int i = from; i < to; i++) {
            int d = hexDigit(s.charAt(i));
            if (d < 0) {
                return -1;
            }
            if (v > (Long.MAX_VALUE >> 4)) {
                return -1;
            }
            v = (v << 4) | d;
        }
        return v;
    }

    private static int hexDigit(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        return -1;
    }

    /** As {@link #decimal(CharSequence)} but limited to {@code int}; -1 beyond. */
    public static int decimalInt(CharSequence s) {
        long v = decimal(s);
        return v > Integer.MAX_VALUE ? -1 : (int) v;
    }
}
