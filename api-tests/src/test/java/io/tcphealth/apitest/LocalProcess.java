package io.tcphealth.apitest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One process a test started (etcd, kube-apiserver, the operator, an agent), its output appended to a log file.
 * {@link #close()} stops it (SIGTERM, then SIGKILL) with every descendant; a JVM shutdown hook does the same if
 * the test never gets there.
 */
final class LocalProcess implements AutoCloseable {

    private final String name;
    private final Path log;
    private final Process process;
    private final Thread hook;

    private LocalProcess(String name, Path log, Process process) {
        this.name = name;
        this.log = log;
        this.process = process;
        this.hook = new Thread(this::kill, "stop-" + name);
        Runtime.getRuntime().addShutdownHook(hook);
    }

    static LocalProcess start(String name, Path log, List<String> command, Map<String, String> env) {
        try {
            Files.createDirectories(log.getParent());
            Files.writeString(
                    log,
                    "$ " + String.join(" ", command) + "\n",
                    StandardCharsets.UTF_8,
                    java.nio.file.StandardOpenOption.CREATE,
                    java.nio.file.StandardOpenOption.APPEND);
            ProcessBuilder pb = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            pb.environment().putAll(env);
            return new LocalProcess(name, log, pb.start());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start " + name + ": " + command, e);
        }
    }

    String name() {
        return name;
    }

    boolean alive() {
        return process.isAlive();
    }

    long pid() {
        return process.pid();
    }

    Path logFile() {
        return log;
    }

    String log() {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The last lines of the log, for failure messages. */
    String tail(int lines) {
        List<String> all = log().lines().toList();
        return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    }

    /** SIGTERM, as Kubernetes stops a pod; SIGKILL after the grace period. */
    int stop(long graceSeconds) {
        process.toHandle().destroy();
        try {
            if (!process.waitFor(graceSeconds, TimeUnit.SECONDS)) {
                kill();
            }
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return process.isAlive() ? -1 : process.exitValue();
    }

    private void kill() {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            stop(15);
        }
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the hook runs now
        }
    }
}
