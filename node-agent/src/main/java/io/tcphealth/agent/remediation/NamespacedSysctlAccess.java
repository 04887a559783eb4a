package io.tcphealth.agent.remediation;

import io.tcphealth.agent.netns.NamespaceExecutor;
import io.tcphealth.agent.netns.NetNamespace;
import io.tcphealth.agent.proc.SysctlKey;
import io.tcphealth.agent.proc.SysctlReader;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Sysctl files read and written from a thread inside the target namespace: {@code /proc/sys/net}
 * answers for the namespace of the thread that opens the file.
 */
public final class NamespacedSysctlAccess implements SysctlAccess {
    private final NamespaceExecutor executor;

    public NamespacedSysctlAccess(NamespaceExecutor executor) {
        this.executor = executor;
    }

    @Override
    public long read(NetNamespace namespace, Path root, SysctlKey key) throws IOException, InterruptedException {
        try {
            return executor.call(namespace, () -> new SysctlReader(root).read(key));
        } catch (NoSuchFileException e) {
            throw missing(namespace, root, key, e);
        }
    }

    /** A host-wide key has no file outside the initial namespace: say so rather than just naming a path. */
    private static IOException missing(NetNamespace namespace, Path root, SysctlKey key, NoSuchFileException e) {
        String why = key.perNetns()
                ? "no such key in this kernel"
                : "a host-wide key, it exists only in the initial network namespace (run in the node's own namespace, "
                        + "or give --sysctl-root to try it against a copy)";
        NoSuchFileException out = new NoSuchFileException(key.resolve(root).toString(), null, why);
        out.initCause(e);
        return out;
    }

    @Override
    public void write(NetNamespace namespace, Path root, SysctlKey key, long value)
            throws IOException, InterruptedException {
        try {
            writeInside(namespace, root, key, value);
        } catch (NoSuchFileException e) {
            throw missing(namespace, root, key, e);
        }
    }

    private void writeInside(NetNamespace namespace, Path root, SysctlKey key, long value)
            throws IOException, InterruptedException {
        executor.call(namespace, () -> {
            // One write of the whole value, without creating the file: a key missing here is an error.
            try (OutputStream out = Files.newOutputStream(
                    key.resolve(root), StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                out.write((value + "\n").getBytes(StandardCharsets.US_ASCII));
            }
            return null;
        });
    }
}
