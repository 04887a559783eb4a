package io.tcphealth.agent.bench;

/**
 * The one line a cold-scan process prints for the benchmark that started it.
 *
 * @param wallNanos  the full scan's wall time, JVM start-up not included
 * @param cpuNanos   CPU time of the whole process until the scan ended, start-up included
 * @param peakRssKiB the process's peak RSS after the scan
 * @param sockets    sockets the scan saw
 */
public record ColdScanReport(long wallNanos, long cpuNanos, long peakRssKiB, int sockets) {
    static final String PREFIX = "cold-scan ";

    public String line() {
        return PREFIX + wallNanos + " " + cpuNanos + " " + peakRssKiB + " " + sockets;
    }

    static ColdScanReport parse(String line) {
        String[] f = line.substring(PREFIX.length()).trim().split(" ");
        if (f.length != 4) {
            throw new IllegalArgumentException("Not a cold scan report: " + line);
        }
        return new ColdScanReport(
                Long.parseLong(f[0]), Long.parseLong(f[1]), Long.parseLong(f[2]), Integer.parseInt(f[3]));
    }
}
