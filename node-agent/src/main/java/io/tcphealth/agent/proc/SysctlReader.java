package io.tcphealth.agent.proc;

import java.io.IOException;
import java.nio.file.Path;
import java.util.OptionalLong;

/**
 * Reads integer sysctls under a sysctl root: {@code /proc/sys} in production, a temporary
 * directory in tests (so host-wide keys are never touched by a test).
 *
 * <p>{@code /proc/sys/net} shows the network namespace of the thread that opens the file, so a
 * reader used on a thread that has entered a pod's namespace reads that pod's values.
 */
public final class SysctlReader {
    /** Integer sysctls are a few bytes; anything bigger is not one. */
    private static final int MAX_BYTES = 4096;

    private final Path sysctlRoot;

    public SysctlReader(Path sysctlRoot) {
        this.sysctlRoot = sysctlRoot;
    }

    /** Reads {@code /proc/sys}. */
    public static SysctlReader host() {
        return new SysctlReader(Path.of("/proc/sys"));
    }

    public Path root() {
        return sysctlRoot;
    }

    /**
     * One integer value.
     *
     * @throws java.nio.file.NoSuchFileException when the key does not exist here (a host-wide key
     *         read inside a pod's namespace, or an older kernel)
     * @throws ProcParseException when the content is not one integer
     */
    public long read(SysctlKey key) throws IOException {
        Path file = key.resolve(sysctlRoot);
        String text = ProcFs.readCapped(file, MAX_BYTES).trim();
        // Some integer sysctls may be negative (-1 means "no limit" for a few keys).
        boolean negative = text.startsWith("-");
        long v = ProcNumbers.decimal(text, negative ? 1 : 0, text.length());
        if (v < 0) {
            throw new ProcParseException(file.toString(), 1, text, "not an integer");
        }
        return negative ? -v : v;
    }

    /** One value, or empty with the reason recorded in {@code problems}. */
    public OptionalLong tryRead(SysctlKey key, ScanProblems problems) {
        try {
            return OptionalLong.of(read(key));
        } catch (IOException e) {
            problems.couldNotRead(key.resolve(sysctlRoot), e);
            return OptionalLong.empty();
        }
    }

    /**
     * The TCP sysctls that decide how long stuck sockets live, -1 for each that could not be read
     * (with the reason in {@code problems}). Read inside a pod's namespace, the host-wide
     * {@code tcp_max_orphans} is -1 without a problem: read it from the host's namespace.
     */
    public TcpSysctls tcpSysctls(ScanProblems problems) {
        return new TcpSysctls(
                orMinusOne(SysctlKey.TCP_MAX_ORPHANS, problems),
                orMinusOne(SysctlKey.TCP_KEEPALIVE_TIME, problems),
                orMinusOne(SysctlKey.TCP_KEEPALIVE_INTVL, problems),
                orMinusOne(SysctlKey.TCP_KEEPALIVE_PROBES, problems),
                orMinusOne(SysctlKey.TCP_FIN_TIMEOUT, problems),
                orMinusOne(SysctlKey.TCP_ORPHAN_RETRIES, problems));
    }

    private long orMinusOne(SysctlKey key, ScanProblems problems) {
        if (!key.perNetns() && !java.nio.file.Files.exists(key.resolve(sysctlRoot))) {
            // A host-wide key has no file inside a pod's namespace: absent by design, not a problem.
            return -1;
        }
        return tryRead(key, problems).orElse(-1);
    }
}
