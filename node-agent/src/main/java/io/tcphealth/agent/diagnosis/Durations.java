package io.tcphealth.agent.diagnosis;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations as people and Kubernetes write them: {@code 30s}, {@code 5m}, {@code 1h30m}. */
public final class Durations {
    private static final Pattern GO_DURATION = Pattern.compile("(\\d+)(ms|s|m|h)");

    private Durations() {
    }

    /** Parses {@code 1h30m}, {@code 10s}, {@code 250ms}; a bare number is seconds. */
    public static Duration parse(String text) {
        if (text == null || text.isBlank()) {
            throw new DateTimeParseException("Empty duration", String.valueOf(text), 0);
        }
        String t = text.trim();
        if (t.chars().allMatch(Character::isDigit)) {
            return Duration.ofSeconds(Long.parseLong(t));
        }
        Matcher m = GO_DURATION.matcher(t);
        Duration total = Duration.ZERO;
        int end = 0;
        while (m.find()) {
            if (m.start() != end) {
                break;
            }
            long n = Long.parseLong(m.group(1));
            total = total.plus(switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                default -> Duration.ofHours(n);
            });
            end = m.end();
        }
        if (end != t.length() || end == 0) {
            throw new DateTimeParseException("Not a duration like 30s, 5m or 1h30m: '" + text + "'", text, end);
        }
        return total;
    }

    /** The two largest units: {@code 42m}, {@code 1h5m}, {@code 12s}, {@code 3d4h}. */
    public static String human(Duration d) {
        long s = Math.max(0, d.toSeconds());
        if (s < 60) {
            return s + "s";
        }
        if (s < 3600) {
            return (s / 60) + "m" + (s % 60 == 0 ? "" : (s % 60) + "s");
        }
        if (s < 86400) {
            long m = (s % 3600) / 60;
            return (s / 3600) + "h" + (m == 0 ? "" : m + "m");
        }
        long h = (s % 86400) / 3600;
        return (s / 86400) + "d" + (h == 0 ? "" : h + "h");
    }
}
