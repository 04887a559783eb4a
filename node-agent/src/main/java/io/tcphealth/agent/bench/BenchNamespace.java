package io.tcphealth.agent.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * The benchmark's own network namespaces: one holding the connections, and optionally idle extra
 * ones, all made with {@code ip netns add} under a random name and removed by {@link #close()}, or
 * by a shutdown hook when the run is interrupted. Connections are held by helper processes (this
 * same program re-launched in its hidden "hold" mode) started with {@code ip netns exec}, so nothing
 * is ever opened in the host's namespace and only loopback is used.
 *
 * <p>A helper holds both ends of its connections, so it needs two fds per connection; the number
 * per helper is bounded by the open-files limit helpers inherit.
 */
public final class BenchNamespace implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(BenchNamespace.class.getName());
    private static final Path NETNS_DIR = Path.of("/var/run/netns");
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration READY_TIMEOUT = Duration.ofMinutes(3);

    private final String name;
    private final List<String> extras = new ArrayList<>();
    private final List<Process> helpers = new ArrayList<>();
    private final Thread cleanupHook;
    private boolean closed;

    private BenchNamespace(String name) {
        this.name = name;
        this.cleanupHook = new Thread(this::removeEverything, "bench cleanup " + name);
    }

    /** Creates the namespace (loopback up) and {@code extraNamespaces} idle ones. */
    public static BenchNamespace create(int extraNamespaces) throws IOException {
        String base = "tcphealth-bench-" + HexFormat.of().formatHex(randomBytes());
        BenchNamespace ns = new BenchNamespace(base);
        Runtime.getRuntime().addShutdownHook(ns.cleanupHook);
        try {
            addNamespace(base);
            for (int i = 0; i < extraNamespaces; i++) {
                String extra = base + "-x" + i;
                ns.extras.add(extra);
                addNamespace(extra);
            }
        } catch (IOException | RuntimeException e) {
            ns.close();
            throw e;
        }
        return ns;
    }

    public String name() {
        return name;
    }

    /** The bind mount of the main namespace, usable with {@code setns}. */
    public Path path() {
        return NETNS_DIR.resolve(name);
    }

    /** The bind mounts of the idle extra namespaces. */
    public List<Path> extraPaths() {
        return extras.stream().map(NETNS_DIR::resolve).toList();
    }

    public static long inodeOf(Path namespaceFile) throws IOException {
        return ((Number) Files.getAttribute(namespaceFile, "unix:ino")).longValue();
    }

    /**
     * Starts one helper per command inside the namespace (java command lines that end in the
     * hidden hold mode) and waits until each reports ready.
     *
     * @return the helpers' pids
     */
    public List<Long> startHelpers(List<List<String>> commands) throws IOException {
        List<Process> started = new ArrayList<>();
        for (List<String> command : commands) {
            List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", name));
            cmd.addAll(command);
            Process p = helperProcess(cmd).start();
            synchronized (helpers) {
                helpers.add(p);
            }
            started.add(p);
        }
        List<Long> pids = new ArrayList<>();
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        for (Process p : started) {
            pids.add(Long.parseLong(awaitReady(p, deadline)[0]));
        }
        return pids;
    }

    /**
     * The environment variable naming the benchmark namespace a helper serves: {@code ps e} or
     * {@code /proc/PID/environ} tells whose helper a process is when several benchmarks run at once.
     */
    public static final String NAMESPACE_VARIABLE = "TCPHEALTH_BENCH_NAMESPACE";

    private ProcessBuilder helperProcess(List<String> cmd) {
        ProcessBuilder builder = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT);
        builder.environment().put(NAMESPACE_VARIABLE, name);
        return builder;
    }

    /** The names of every namespace this benchmark made: its own and the idle extra ones. */
    public List<String> names() {
        List<String> all = new ArrayList<>(List.of(name));
        all.addAll(extras);
        return all;
    }

    /** Starts one helper and returns what follows "ready" on its first line (its pid first). */
    public String[] startHelper(List<String> command) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", name));
        cmd.addAll(command);
        Process p = helperProcess(cmd).start();
        synchronized (helpers) {
            helpers.add(p);
        }
        return awaitReady(p, System.nanoTime() + READY_TIMEOUT.toNanos());
    }

    private static String[] awaitReady(Process p, long deadline) throws IOException {
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        String[] line = new String[1];
        Thread reader = Thread.ofVirtual().start(() -> {
            try {
                line[0] = out.readLine();
            } catch (IOException e) {
                line[0] = null;
            }
        });
        try {
            if (!reader.join(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())))) {
                throw new IOException("Benchmark helper " + p.pid() + " not ready within " + READY_TIMEOUT);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("Interrupted while waiting for benchmark helper " + p.pid(), e);
        }
        if (line[0] == null || !line[0].startsWith("ready ")) {
            throw new IOException(
                    "Benchmark helper " + p.pid() + " failed before it was ready (see its messages above)");
        }
        return line[0].substring("ready ".length()).trim().split(" ");
    }

    /** Stops the helpers and removes the namespaces. */
    @Override
    public void close() {
        removeEverything();
        try {
            Runtime.getRuntime().removeShutdownHook(cleanupHook);
        } catch (IllegalStateException e) {
            // Already shutting down: the hook is running or has run.
        }
    }

    private synchronized void removeEverything() {
        if (closed) {
            return;
        }
        closed = true;
        List<Process> all;
        synchronized (helpers) {
            all = List.copyOf(helpers);
        }
        for (Process p : all) {
            try {
                p.getOutputStream().close();
            } catch (IOException e) {
                // It is being killed below anyway.
            }
            p.destroyForcibly();
        }
        for (Process p : all) {
            try {
                p.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        for (String ns : extras) {
            deleteNamespace(ns);
        }
        deleteNamespace(name);
    }

    private static void addNamespace(String ns) throws IOException {
        run("ip", "netns", "add", ns);
        run("ip", "-n", ns, "link", "set", "lo", "up");
    }

    private static void deleteNamespace(String ns) {
        if (!Files.exists(NETNS_DIR.resolve(ns))) {
            return;
        }
        try {
            run("ip", "netns", "del", ns);
        } catch (IOException e) {
            LOG.log(
                    System.Logger.Level.WARNING,
                    "Could not delete benchmark network namespace {0}: {1}",
                    ns,
                    e.getMessage());
        }
    }

    static void run(String... command) throws IOException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            if (!p.waitFor(COMMAND_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException(String.join(" ", command) + " did not finish within " + COMMAND_TIMEOUT);
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException(String.join(" ", command) + " interrupted", e);
        }
        if (p.exitValue() != 0) {
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            throw new IOException(String.join(" ", command) + " failed (exit " + p.exitValue() + "): " + output);
        }
    }

    private static byte[] randomBytes() {
        byte[] id = new byte[4];
        ThreadLocalRandom.current().nextBytes(id);
        return id;
    }
}
