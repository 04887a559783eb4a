package io.tcphealth.api.v1alpha1;

import java.time.Duration;
import java.util.regex.Matcher;

/**
 * Durations as Kubernetes writes them (Go's {@code time.ParseDuration} format: {@code 30s}, {@code 5m},
 * {@code 1h30m}, {@code 1.5h}, {@code 250ms}). The schema pattern accepts only the units a scan period or a
 * socket age can sensibly use, so CEL's {@code duration()} and {@link #parse} agree on every accepted value.
 */
public final class GoDuration {

    /** Schema pattern: one or more number+unit pairs, units ms, s, m, h. */
    public static final String PATTERN = "^([0-9]+([.][0-9]+)?(ms|s|m|h))+$";

    /**
     * Start of every CEL rule on a duration field. A malformed value is already reported by {@link #PATTERN};
     * without this guard CEL's duration() would fail on it too and add an evaluation error to the message.
     */
    public static final String RULE_GUARD = "!self.matches('" + PATTERN + "') || ";

    /** Schema maxLength: keeps the cost the API server estimates for CEL rules on durations small. */
    public static final int MAX_LENGTH = 32;

    private static final java.util.regex.Pattern WHOLE = java.util.regex.Pattern.compile(PATTERN);
    private static final java.util.regex.Pattern PART =
            java.util.regex.Pattern.compile("([0-9]+)(?:\\.([0-9]+))?(ms|s|m|h)");

    private GoDuration() {}

    /**
     * Parses a duration such as {@code 1h30m}.
     *
     * @throws IllegalArgumentException naming the text when it does not match {@link #PATTERN}
     */
    public static Duration parse(String text) {
        if (text == null || !WHOLE.matcher(text).matches()) {
            throw new IllegalArgumentException("Not a duration like 30s, 5m or 1h30m: '" + text + "'");
        }
        try {
            return sum(text);
        } catch (ArithmeticException | NumberFormatException e) {
            throw new IllegalArgumentException("Too long a duration: '" + text + "'", e);
        }
    }

    private static Duration sum(String text) {
        Duration total = Duration.ZERO;
        Matcher part = PART.matcher(text);
        while (part.find()) {
            long unitNanos = switch (part.group(3)) {
                case "ms" -> 1_000_000L;
                case "s" -> 1_000_000_000L;
                case "m" -> 60_000_000_000L;
                default -> 3_600_000_000_000L;
            };
            total = total.plus(Duration.ofNanos(Math.multiplyExact(Long.parseLong(part.group(1)), unitNanos)));
            String fraction = part.group(2);
            if (fraction != null) {
                double nanos = Double.parseDouble("0." + fraction) * unitNanos;
                total = total.plusNanos(Math.round(nanos));
            }
        }
        return total;
    }
}
