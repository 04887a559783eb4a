package io.tcphealth.agent.bench;

import io.tcphealth.agent.proc.ProcFs;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;

/**
 * This process's CPU time and memory, and the CPU time of the children it has reaped, as the
 * kernel accounts them.
 */
public final class ProcessMeter {
    /** USER_HZ: the unit of the times in {@code /proc/<pid>/stat}, 100 on every Linux ABI in use. */
    private static final long TICK_NANOS = 10_000_000L;

    private final ProcFs procFs;

    public ProcessMeter(ProcFs procFs) {
        this.procFs = procFs;
    }

    /** CPU time of every thread of this process (JIT and GC included), in nanoseconds. */
    public long cpuNanos() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime();
        }
        return -1;
    }

    /**
     * CPU time of the children this process has waited for ({@code cutime + cstime}), in
     * nanoseconds: a child's time is added when it is reaped.
     */
    public long reapedChildrenCpuNanos() throws IOException {
        String stat = procFs.read(procFs.path("self", "stat"));
        // Fields after the command name (which may hold spaces) start at field 3, state.
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
        long cutime = Long.parseLong(f[16 - 3]);
        long cstime = Long.parseLong(f[17 - 3]);
        return (cutime + cstime) * TICK_NANOS;
    }

    /** Peak resident set size ({@code VmHWM}) in KiB. */
    public long peakRssKiB() throws IOException {
        return statusField("VmHWM:");
    }

    /** Current resident set size ({@code VmRSS}) in KiB. */
    public long rssKiB() throws IOException {
        return statusField("VmRSS:");
    }

    private long statusField(String name) throws IOException {
        Path status = procFs.path("self", "status");
        for (String line : procFs.read(status).split("\n")) {
            if (line.startsWith(name)) {
                return Long.parseLong(
                        line.substring(name.length()).replace("kB", "").trim());
            }
        }
        throw new IOException(status + " has no " + name + " line");
    }
}
