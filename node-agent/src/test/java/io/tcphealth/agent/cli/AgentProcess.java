package io.tcphealth.agent.cli;

import io.tcphealth.testsupport.TestNetns;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** The built tcphealth jar running as its own process inside a test namespace, its output collected line by line. */
final class AgentProcess {
    private final Process process;
    private final List<String> lines = new ArrayList<>();
    private final Thread reader;

    private AgentProcess(Process process) {
        this.process = process;
        reader = new Thread(
                () -> {
                    try (BufferedReader in = new BufferedReader(
                            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                        String line;
                        while ((line = in.readLine()) != null) {
                            synchronized (lines) {
                                lines.add(line);
                                lines.notifyAll();
                            }
                        }
                    } catch (IOException e) {
                        // the process ended
                    }
                },
                "agent-output");
        reader.setDaemon(true);
        reader.start();
    }

    static Path jar() {
        return Path.of(System.getProperty("tcphealth.jar", "target/tcphealth.jar"));
    }

    /** Starts {@code tcphealth ARGS...}; {@code pauseAt} sets the test pause hook, or null. */
    static AgentProcess start(TestNetns ns, String pauseAt, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(
                "env",
                "TCPHEALTH_TEST_PAUSE_AT=" + (pauseAt == null ? "" : pauseAt),
                ProcessHandle.current().info().command().orElseThrow(),
                "-jar",
                jar().toString()));
        cmd.addAll(List.of(args));
        return new AgentProcess(ns.start(cmd.toArray(String[]::new)));
    }

    /** Runs a command to its end. */
    static AgentProcess run(TestNetns ns, String... args) throws Exception {
        AgentProcess p = start(ns, null, args);
        if (!p.process.waitFor(120, TimeUnit.SECONDS)) {
            p.process.destroyForcibly();
            throw new IOException("tcphealth " + String.join(" ", args) + " did not finish: " + p.output());
        }
        p.reader.join(10_000);
        return p;
    }

    int exitCode() throws InterruptedException {
        process.waitFor();
        return process.exitValue();
    }

    String output() {
        synchronized (lines) {
            return String.join("\n", lines);
        }
    }

    /** Waits for a line of output; fails with everything said so far. */
    String awaitLine(Predicate<String> wanted, long seconds) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (true) {
            boolean ended = !reader.isAlive();
            synchronized (lines) {
                for (String l : lines) {
                    if (wanted.test(l)) {
                        return l;
                    }
                }
                long left = deadline - System.nanoTime();
                if (left <= 0 || ended) {
                    throw new AssertionError("Expected line did not come; output:\n" + String.join("\n", lines));
                }
                lines.wait(Math.max(1, Math.min(200, left / 1_000_000)));
            }
        }
    }

    /** SIGKILL: no shutdown hook, no finally. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(20, TimeUnit.SECONDS);
    }

    /** SIGTERM, as a service manager stops it. */
    void terminate() throws InterruptedException {
        // Through the handle: Process.destroy() would also close our end of its output, losing its last lines.
        process.toHandle().destroy();
        process.waitFor(60, TimeUnit.SECONDS);
        reader.join(10_000);
    }

    boolean isAlive() {
        return process.isAlive();
    }
}
