package io.tcphealth.apitest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The real kubectl, as the admin, against the test's API server. */
record Kubectl(Path binary, Path kubeconfig, Path workDir) {

    /** What one kubectl command answered. */
    record Result(int exit, String out, String err) {
        Result orFail(String what) {
            if (exit != 0) {
                throw new AssertionError(what + " failed (exit " + exit + "):\n" + err + out);
            }
            return this;
        }
    }

    Result run(String... args) {
        return withInput(null, args);
    }

    /** Runs kubectl with {@code stdin} (may be null) as its standard input. */
    Result withInput(String stdin, String... args) {
        List<String> command = new ArrayList<>(List.of(binary.toString(), "--kubeconfig=" + kubeconfig));
        command.addAll(List.of(args));
        try {
            Path out = Files.createTempFile(workDir, "kubectl", ".out");
            Path err = Files.createTempFile(workDir, "kubectl", ".err");
            try {
                ProcessBuilder pb =
                        new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
                pb.environment().put("KUBECONFIG", kubeconfig.toString());
                // Columns and colours as a terminal-less user sees them.
                pb.environment().put("TERM", "dumb");
                Process p = pb.start();
                if (stdin != null) {
                    p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
                }
                p.getOutputStream().close();
                if (!p.waitFor(60, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    throw new AssertionError("kubectl " + String.join(" ", args) + " did not finish within 60s");
                }
                return new Result(p.exitValue(), Files.readString(out), Files.readString(err));
            } finally {
                Files.deleteIfExists(out);
                Files.deleteIfExists(err);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    String ok(String... args) {
        return run(args).orFail("kubectl " + String.join(" ", args)).out();
    }
}
