package io.tcphealth.apitest;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * A network namespace standing in for one node's host network, with the socklab helpers (node-agent's
 * src/test/c/socklab.c) that make stuck sockets in it. The agent of that "node" runs in the test's own namespace
 * (so it reaches the API server on loopback) and scans this one through {@code --host-netns}. {@link #close()}
 * kills the helpers and deletes the namespace; a shutdown hook does it if the test never gets there.
 */
final class Netns implements AutoCloseable {

    private static Path socklab;

    private final String name;
    private final List<Process> helpers = new ArrayList<>();
    private final Thread hook;
    private boolean closed;

    private Netns(String name) {
        this.name = name;
        this.hook = new Thread(this::cleanUp, "netns-" + name);
    }

    static Netns create() {
        byte[] id = new byte[4];
        ThreadLocalRandom.current().nextBytes(id);
        Netns ns = new Netns("tcphealth-api-" + HexFormat.of().formatHex(id));
        run("ip", "netns", "add", ns.name);
        Runtime.getRuntime().addShutdownHook(ns.hook);
        run("ip", "-n", ns.name, "link", "set", "lo", "up");
        return ns;
    }

    Path path() {
        return Path.of("/var/run/netns", name);
    }

    String name() {
        return name;
    }

    /** Starts {@code socklab MODE ARGS...} in the namespace and waits for its "ready" line; returns its pid. */
    synchronized int socklab(String mode, Object... args) {
        List<String> command = new ArrayList<>(
                List.of("ip", "netns", "exec", name, socklabBinary().toString(), mode));
        for (Object a : args) {
            command.add(String.valueOf(a));
        }
        try {
            Process p = new ProcessBuilder(command)
                    .redirectError(ProcessBuilder.Redirect.INHERIT)
                    .start();
            helpers.add(p);
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            String line = out.readLine();
            if (line == null || !line.startsWith("ready ")) {
                throw new IllegalStateException("socklab " + mode + " did not get ready (said: " + line + ")");
            }
            return Integer.parseInt(line.substring(6).trim().split(" ")[0]);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code ss -tanH ARGS} in the namespace. */
    List<String> ss(String... args) {
        List<String> command = new ArrayList<>(List.of("ip", "netns", "exec", name, "ss", "-tanH"));
        command.addAll(List.of(args));
        return run(command.toArray(String[]::new))
                .lines()
                .filter(l -> !l.isBlank())
                .toList();
    }

    @Override
    public void close() {
        cleanUp();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the hook runs now
        }
    }

    private synchronized void cleanUp() {
        if (closed) {
            return;
        }
        closed = true;
        for (Process p : helpers) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
        for (Process p : helpers) {
            try {
                p.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        try {
            run("ip", "netns", "del", name);
        } catch (RuntimeException e) {
            System.err.println("Could not delete network namespace " + name + ": " + e.getMessage());
        }
    }

    private static synchronized Path socklabBinary() {
        if (socklab == null) {
            try {
                Path dir = Files.createTempDirectory("tcphealth-socklab");
                Path out = dir.resolve("socklab");
                run(
                        "gcc",
                        "-O1",
                        "-Wall",
                        "-pthread",
                        "-o",
                        out.toString(),
                        Project.file("node-agent/src/test/c/socklab.c").toString());
                // deleteOnExit runs in reverse order of registration: the binary first, then its (then empty) folder.
                dir.toFile().deleteOnExit();
                out.toFile().deleteOnExit();
                socklab = out;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return socklab;
    }

    static String run(String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed: " + out);
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
