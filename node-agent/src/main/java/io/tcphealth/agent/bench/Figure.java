package io.tcphealth.agent.bench;

import java.util.Arrays;
import java.util.List;

/**
 * One measured figure over the rounds of a run: wall time median, min and max, and the median CPU
 * time it took (of this process, or of the child process for {@code ss} and cold scans).
 *
 * @param key         stable identifier for JSON readers
 * @param label       what was measured, in words
 * @param medianMillis median wall time
 * @param minMillis   fastest round
 * @param maxMillis   slowest round
 * @param cpuMillis   median CPU time
 * @param rounds      how many rounds were measured
 */
public record Figure(
        String key,
        String label,
        double medianMillis,
        double minMillis,
        double maxMillis,
        double cpuMillis,
        int rounds) {

    /** Builds a figure from per-round wall and CPU times in nanoseconds. */
    static Figure of(String key, String label, List<Long> wallNanos, List<Long> cpuNanos) {
        if (wallNanos.isEmpty()) {
            throw new IllegalArgumentException("No rounds measured for " + key);
        }
        double[] wall = wallNanos.stream().mapToDouble(n -> n / 1e6).sorted().toArray();
        double[] cpu = cpuNanos.stream().mapToDouble(n -> n / 1e6).sorted().toArray();
        return new Figure(
                key,
                label,
                median(wall),
                wall[0],
                wall[wall.length - 1],
                cpu.length == 0 ? 0 : median(cpu),
                wall.length);
    }

    /** Median of sorted values; the mean of the middle two for an even count. */
    static double median(double[] sorted) {
        double[] s = sorted.clone();
        Arrays.sort(s);
        int mid = s.length / 2;
        return s.length % 2 == 1 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
    }
}
