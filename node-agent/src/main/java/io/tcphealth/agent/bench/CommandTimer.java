package io.tcphealth.agent.bench;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Times a whole command, from fork to reaping, output discarded; its CPU time is read once it has been reaped. */
final class CommandTimer {
    private final ProcessMeter meter;

    CommandTimer(ProcessMeter meter) {
        this.meter = meter;
    }

    /** Runs it once, unmeasured (to warm the page cache or make a start-up cache). */
    void run(List<String> command) throws IOException, InterruptedException {
        time(new PopulationBenchmark.Series(), command);
    }

    void time(PopulationBenchmark.Series into, List<String> command) throws IOException, InterruptedException {
        long cpu = meter.reapedChildrenCpuNanos();
        long start = System.nanoTime();
        Process p = new ProcessBuilder(command)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        if (!p.waitFor(5, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new IOException(String.join(" ", command) + " did not finish within 5 minutes");
        }
        long wall = System.nanoTime() - start;
        // diagnose exits 1 or 2 when it has findings: that is a result, not a failure.
        if (p.exitValue() > 2) {
            throw new IOException(String.join(" ", command) + " failed with exit " + p.exitValue());
        }
        into.add(wall, meter.reapedChildrenCpuNanos() - cpu);
    }

    static boolean onPath(String program) {
        String path = System.getenv("PATH");
        for (String dir : (path == null ? "/usr/sbin:/usr/bin:/sbin:/bin" : path).split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, program))) {
                return true;
            }
        }
        return false;
    }
}
