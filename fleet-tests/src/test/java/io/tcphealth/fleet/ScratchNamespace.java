package io.tcphealth.fleet;

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
 * A network namespace made for one test (iproute2's {@code ip netns}), the node agent's {@code socklab}
 * helper compiled from its source, and every process started in the namespace; all removed on close.
 */
final class ScratchNamespace implements AutoCloseable {
    final String name;
    private final Path socklab;
    private final Path buildDir;
    private final List<Process> processes = new ArrayList<>();

    ScratchNamespace() throws IOException, InterruptedException {
        byte[] id = new byte[4];
        ThreadLocalRandom.current().nextBytes(id);
        name = "tcphealth-p-" + HexFormat.of().formatHex(id);
        buildDir = Files.createTempDirectory("tcphealth-socklab");
        socklab = buildDir.resolve("socklab");
        Path source =
                Path.of("../node-agent/src/test/c/socklab.c").toAbsolutePath().normalize();
        run("gcc", "-O1", "-Wall", "-pthread", "-o", socklab.toString(), source.toString());
        run("ip", "netns", "add", name);
        try {
            run("ip", "-n", name, "link", "set", "lo", "up");
        } catch (IOException | RuntimeException e) {
            close();
            throw e;
        }
    }

    Path path() {
        return Path.of("/var/run/netns", name);
    }

    String exec(String... command) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", name));
        cmd.addAll(List.of(command));
        return run(cmd.toArray(String[]::new));
    }

    /** Starts {@code socklab MODE ARGS} in the namespace, waits for its "ready PID" line and returns that pid. */
    int socklab(String mode, Object... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", name, socklab.toString(), mode));
        for (Object a : args) {
            cmd.add(String.valueOf(a));
        }
        Process p = new ProcessBuilder(cmd)
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        processes.add(p);
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        String line = out.readLine();
        if (line == null || !line.startsWith("ready ")) {
            throw new IOException("socklab " + mode + " did not get ready (said: " + line + ")");
        }
        return Integer.parseInt(line.substring(6).trim().split(" ")[0]);
    }

    /** The stdin of the last helper started, for helpers that wait for a line. */
    java.io.OutputStream lastHelperInput() {
        return processes.getLast().getOutputStream();
    }

    private static String run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " failed: " + out);
        }
        return out;
    }

    @Override
    public void close() {
        for (Process p : processes) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
        for (Process p : processes) {
            try {
                p.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        try {
            run("ip", "netns", "del", name);
        } catch (IOException | InterruptedException | RuntimeException e) {
            System.err.println("Could not delete network namespace " + name + ": " + e.getMessage());
        }
        socklab.toFile().delete();
        buildDir.toFile().delete();
    }
}
