package io.tcphealth.agent.socket.proc;

import io.tcphealth.agent.proc.ProcFs;
import io.tcphealth.agent.proc.ProcLines;
import io.tcphealth.agent.socket.SocketSource;
import io.tcphealth.agent.socket.TcpSocket;
import io.tcphealth.agent.socket.TcpState;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Lists TCP sockets from {@code net/tcp} and {@code net/tcp6} under a proc root: the fallback when
 * netlink sock_diag is unavailable, and a cross-check for it in tests. The state filter is applied
 * here, after parsing (procfs cannot filter).
 *
 * <p>{@link #forCallingThread} reads {@code thread-self/net}: the network namespace of the reading
 * OS thread, which is what a thread that entered a pod's namespace with {@code setns} needs
 * ({@code /proc/self/net} would show the main thread's). Use it from a platform thread; a virtual
 * thread would read its carrier's namespace.
 */
public final class ProcNetTcpSource implements SocketSource {
    private final ProcFs procFs;
    private final String netDir;
    private final ProcNetTcpParser parser;

    private ProcNetTcpSource(ProcFs procFs, String netDir, ProcNetTcpParser parser) {
        this.procFs = procFs;
        this.netDir = netDir;
        this.parser = parser;
    }

    /** The calling thread's namespace: {@code <root>/thread-self/net/tcp{,6}}. */
    public static ProcNetTcpSource forCallingThread(ProcFs procFs) {
        return new ProcNetTcpSource(procFs, "thread-self", ProcNetTcpParser.nativeOrder());
    }

    /** A process's namespace: {@code <root>/<pid>/net/tcp{,6}}, whichever thread reads it. */
    public static ProcNetTcpSource forProcess(ProcFs procFs, int pid) {
        return new ProcNetTcpSource(procFs, Integer.toString(pid), ProcNetTcpParser.nativeOrder());
    }

    /** Any directory under the root holding {@code net/tcp}, with a given parser (fixtures). */
    public static ProcNetTcpSource of(ProcFs procFs, String dirUnderRoot, ProcNetTcpParser parser) {
        return new ProcNetTcpSource(procFs, dirUnderRoot, parser);
    }

    /**
     * @throws IOException when {@code net/tcp} cannot be read, or a line is malformed
     *         ({@link io.tcphealth.agent.proc.ProcParseException}); a missing {@code tcp6} (IPv6
     *         disabled) only means no IPv6 sockets
     */
    @Override
    public List<TcpSocket> sockets(Set<TcpState> states) throws IOException {
        List<TcpSocket> out = new ArrayList<>(read(procFs.path(netDir, "net", "tcp"), states));
        try {
            out.addAll(read(procFs.path(netDir, "net", "tcp6"), states));
        } catch (NoSuchFileException noIpv6) {
            // IPv6 is disabled (ipv6.disable=1) or not built: there are no IPv6 sockets to list.
        }
        return out;
    }

    private List<TcpSocket> read(Path file, Set<TcpState> states) throws IOException {
        List<io.tcphealth.agent.proc.ProcParseException> skipped = new ArrayList<>();
        List<TcpSocket> sockets;
        try (ProcLines lines = ProcLines.open(file, ProcNetTcpParser.MAX_LINE_LENGTH)) {
            sockets = parser.parse(lines, states, skipped);
        }
        if (!skipped.isEmpty()) {
            skippedLines.addAndGet(skipped.size());
            LOG.log(
                    System.Logger.Level.WARNING,
                    "Skipped " + skipped.size() + " malformed line" + (skipped.size() == 1 ? "" : "s") + " of " + file
                            + "; the first: " + skipped.getFirst().getMessage());
        }
        return sockets;
    }

    /** Malformed lines left out since this source was made. */
    public long skippedLines() {
        return skippedLines.get();
    }

    private static final System.Logger LOG = System.getLogger(ProcNetTcpSource.class.getName());
    private final java.util.concurrent.atomic.AtomicLong skippedLines = new java.util.concurrent.atomic.AtomicLong();

    @Override
    public String name() {
        return "proc";
    }
}
