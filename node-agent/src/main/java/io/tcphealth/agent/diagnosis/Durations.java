package io.tcphealth.agent.diagnosis;

import io.tcphealth.api.v1alpha1.GoDuration;
import java.time.Duration;
import java.time.format.DateTimeParseException;

/** Durations as people and Kubernetes write them: {@code 30s}, {@code 5m}, {@code 1h30m}. */
public final class Durations {
    private Durations() {}

    /**
     * Parses a duration as a policy writes it ({@link GoDuration}: {@code 1h30m}, {@code 10s}, {@code 250ms},
     * {@code 1.5h}); on the command line a bare number is seconds as well.
     */
    public static Duration parse(String text) {
        String t = text == null ? "" : text.strip();
        if (!t.isEmpty() && t.chars().allMatch(Character::isDigit)) {
            return Duration.ofSeconds(Long.parseLong(t));
        }
        try {
            return GoDuration.parse(t);
        } catch (IllegalArgumentException e) {
            throw new DateTimeParseException(e.getMessage(), t, 0, e);
        }
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
