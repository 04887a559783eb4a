package io.tcphealth.testsupport;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * A private network namespace for one test, with the helper processes started in it.
 *
 * <p>{@link #close()} kills every helper (and its descendants) and deletes the namespace; a JVM
 * shutdown hook does the same if a test never gets there. Nothing here touches the host's
 * namespace: commands run through {@code ip netns exec}.
 */
public final class TestNetns implements AutoCloseable {
    private static final Path NETNS_DIR = Path.of("/var/run/netns");

    private final String name;
    private final List<Process> processes = new ArrayList<>();
    private final Thread cleanupHook;
    private boolean closed;

    private TestNetns(String name) {
        this.name = name;
        this.cleanupHook = new Thread(this::cleanUp, "netns-cleanup-" + name);
    }

    /** Creates the namespace and brings its loopback up. */
    public static TestNetns create() throws IOException {
        byte[] id = new byte[4];
        ThreadLocalRandom.current().nextBytes(id);
        TestNetns ns = new TestNetns("tcphealth-t-" + HexFormat.of().formatHex(id));
        Commands.run("ip", "netns", "add", ns.name);
        Runtime.getRuntime().addShutdownHook(ns.cleanupHook);
        try {
            Commands.run("ip", "-n", ns.name, "link", "set", "lo", "up");
        } catch (IOException | RuntimeException e) {
            ns.close();
            throw e;
        }
        return ns;
    }

    public String name() {
        return name;
    }

    /** The bind mount that refers to the namespace, usable with {@code setns} and {@code --host-netns}. */
    public Path path() {
        return NETNS_DIR.resolve(name);
    }

    /** The namespace's inode, as {@code /proc/<pid>/ns/net} links name it. */
    public long inode() throws IOException {
        return ((Number) Files.getAttribute(path(), "unix:ino")).longValue();
    }

    /**
     * Starts {@code socklab MODE ARGS...} in the namespace and waits for it to report ready.
     *
     * @return the helper; its pid is the socklab process's own ({@code ip netns exec} execs it)
     */
    public Helper socklab(String mode, Object... args) throws IOException {
        List<String> cmd = new ArrayList<>(
                List.of("ip", "netns", "exec", name, SockLab.binary().toString(), mode));
        for (Object a : args) {
            cmd.add(String.valueOf(a));
        }
        return startReady(cmd, "socklab " + mode);
    }

    /**
     * Starts {@code socklab MODE ARGS...} in the namespace as a member of the cgroup (v2) at {@code cgroup}, which it
     * joins before it makes a socket (a socket belongs to the cgroup of the process that created it).
     */
    public Helper socklabInCgroup(Path cgroup, String mode, Object... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(
                "ip",
                "netns",
                "exec",
                name,
                "sh",
                "-c",
                "echo $$ > \"$0/cgroup.procs\" && exec \"$@\"",
                cgroup.toString(),
                SockLab.binary().toString(),
                mode));
        for (Object a : args) {
            cmd.add(String.valueOf(a));
        }
        return startReady(cmd, "socklab " + mode + " in " + cgroup);
    }

    /** Starts a helper that says {@code ready PID [details]} on its first line, and waits for that line. */
    private Helper startReady(List<String> cmd, String what) throws IOException {
        Process p = new ProcessBuilder(cmd)
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        synchronized (processes) {
            processes.add(p);
        }
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        String line = Commands.readLineWithin(out, 20, TimeUnit.SECONDS);
        if (line == null || !line.startsWith("ready ")) {
            p.destroyForcibly();
            throw new IOException(what + " did not get ready (said: " + line + ")");
        }
        String[] words = line.substring("ready ".length()).trim().split("\\s+", 2);
        return new Helper(p, Integer.parseInt(words[0]), words.length > 1 ? words[1] : "");
    }

    /**
     * Starts {@code socklab} as the first process of a new PID namespace ({@code unshare -p -f}) in
     * this network namespace; the helper's pid is then socklab's pid as the host sees it.
     */
    public Helper socklabAsPidNamespaceInit(String mode, Object... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(
                "ip",
                "netns",
                "exec",
                name,
                "unshare",
                "--pid",
                "--fork",
                SockLab.binary().toString(),
                mode));
        for (Object a : args) {
            cmd.add(String.valueOf(a));
        }
        Process p = new ProcessBuilder(cmd)
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        synchronized (processes) {
            processes.add(p);
        }
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        String line = Commands.readLineWithin(out, 20, TimeUnit.SECONDS);
        if (line == null || !line.startsWith("ready ")) {
            p.destroyForcibly();
            throw new IOException("socklab " + mode + " did not get ready in its PID namespace (said: " + line + ")");
        }
        String socklab = SockLab.binary().toString();
        int hostPid = p.descendants()
                .filter(h -> h.info().command().map(socklab::equals).orElse(false))
                .map(h -> (int) h.pid())
                .findFirst()
                .orElseThrow(() -> new IOException("socklab's host pid not found under unshare"));
        return new Helper(p, hostPid, line.substring("ready ".length()).trim());
    }

    /** Runs {@code socklab ARGS...} in the namespace to completion (modes that exit, such as trylisten). */
    public String socklabRun(Object... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(SockLab.binary().toString()));
        for (Object a : args) {
            cmd.add(String.valueOf(a));
        }
        return exec(cmd.toArray(String[]::new)).trim();
    }

    /**
     * Runs {@code socklab trybatch} in the namespace: one bind() and listen() attempt per line ("OPTIONS ADDR PORT",
     * see socklab.c), each in a process of its own, and returns one result line per attempt.
     */
    public List<String> socklabBatch(List<String> attempts) throws IOException {
        Process p = new ProcessBuilder(
                        "ip", "netns", "exec", name, SockLab.binary().toString(), "trybatch")
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        synchronized (processes) {
            processes.add(p);
        }
        try (var in = p.getOutputStream()) {
            in.write((String.join("\n", attempts) + "\n").getBytes(StandardCharsets.UTF_8));
        }
        List<String> out;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            out = r.lines().toList();
        }
        try {
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0 || out.size() != attempts.size()) {
                throw new IOException("socklab trybatch failed: " + out.size() + " results for " + attempts.size()
                        + " attempts, last " + (out.isEmpty() ? "none" : out.getLast()));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("Interrupted waiting for socklab trybatch", e);
        }
        return out;
    }

    /** Starts any command in the namespace; it is killed on {@link #close()}. */
    public Process start(String... command) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", name));
        cmd.addAll(List.of(command));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        synchronized (processes) {
            processes.add(p);
        }
        return p;
    }

    /** Runs a command in the namespace to completion and returns its standard output. */
    public String exec(String... command) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", name));
        cmd.addAll(List.of(command));
        return Commands.run(cmd.toArray(String[]::new));
    }

    /** {@code ss -tanH ARGS...} in the namespace, one line a socket. */
    public List<String> ss(String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("ss", "-tanH"));
        cmd.addAll(List.of(args));
        return exec(cmd.toArray(String[]::new))
                .lines()
                .filter(l -> !l.isBlank())
                .toList();
    }

    /** Sets a per-namespace sysctl inside this namespace only. */
    public void sysctl(String key, Object value) throws IOException {
        exec("sysctl", "-q", "-w", key + "=" + value);
    }

    @Override
    public void close() {
        cleanUp();
        try {
            Runtime.getRuntime().removeShutdownHook(cleanupHook);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running or has run: nothing left to unregister
        }
    }

    private synchronized void cleanUp() {
        if (closed) {
            return;
        }
        closed = true;
        List<Process> all;
        synchronized (processes) {
            all = List.copyOf(processes);
        }
        for (Process p : all) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
        for (Process p : all) {
            try {
                p.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        try {
            Commands.run("ip", "netns", "del", name);
        } catch (IOException | RuntimeException e) {
            System.err.println("Could not delete test network namespace " + name + ": " + e.getMessage());
        }
    }

    /** A helper process, the pid it reported, and whatever else it said on its ready line. */
    public record Helper(Process process, int pid, String details) {
        /** Kills it now (the namespace's close would too). */
        public void kill() throws InterruptedException {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
