package io.tcphealth.agent.diagnosis;

import io.tcphealth.agent.socket.TcpState;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Keeps what {@link SocketAges} observed in a file beside the journal ({@code ages.tsv}), so an agent
 * that restarts does not forget how long a socket or zombie has been seen, and {@code olderThan} does
 * not start waiting again.
 *
 * <p>One line a socket or zombie, tab-separated; replaced whole (written beside it, then renamed) so
 * a crash leaves the old or the new file, never half of one. A line that does not parse is skipped
 * and counted: a damaged file costs only the ages it held.
 */
public final class SocketAgeStore {
    public static final String FILE = "ages.tsv";
    private static final String HEADER = "tcphealth-ages\t1";
    private static final System.Logger LOG = System.getLogger(SocketAgeStore.class.getName());

    /** One socket's first sighting in its state. */
    public record SocketEntry(
            long netns,
            TcpState state,
            InetAddress local,
            int localPort,
            InetAddress remote,
            int remotePort,
            long inode,
            long cookie,
            Instant firstSeen) {}

    /** One zombie's first sighting. */
    public record ZombieEntry(int pid, long startTicks, Instant firstSeen) {}

    /** What a file held; {@code skippedLines} did not parse. */
    public record Saved(List<SocketEntry> sockets, List<ZombieEntry> zombies, int skippedLines) {}

    private final Path file;

    public SocketAgeStore(Path directory) {
        this.file = directory.resolve(FILE);
    }

    public Path file() {
        return file;
    }

    /** What the file holds; nothing when it does not exist or cannot be read (said in the log). */
    public Saved load() {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return new Saved(List.of(), List.of(), 0);
        } catch (IOException e) {
            LOG.log(
                    System.Logger.Level.WARNING,
                    "Could not read socket ages " + file + ", starting without them: " + e.getMessage());
            return new Saved(List.of(), List.of(), 0);
        }
        Saved saved = parse(text);
        if (saved.skippedLines() > 0) {
            LOG.log(
                    System.Logger.Level.WARNING,
                    "Socket ages " + file + ": skipped " + saved.skippedLines() + " malformed lines");
        }
        return saved;
    }

    static Saved parse(String text) {
        List<SocketEntry> sockets = new ArrayList<>();
        List<ZombieEntry> zombies = new ArrayList<>();
        int skipped = 0;
        List<String> lines = text.lines().toList();
        if (lines.isEmpty() || !lines.getFirst().equals(HEADER)) {
            return new Saved(List.of(), List.of(), lines.size());
        }
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split("\t", -1);
            try {
                if (f[0].equals("S") && f.length == 10) {
                    sockets.add(new SocketEntry(
                            Long.parseLong(f[1]),
                            TcpState.valueOf(f[2]),
                            InetAddress.ofLiteral(f[3]),
                            port(f[4]),
                            InetAddress.ofLiteral(f[5]),
                            port(f[6]),
                            Long.parseLong(f[7]),
                            Long.parseLong(f[8]),
                            Instant.ofEpochMilli(Long.parseLong(f[9]))));
                } else if (f[0].equals("Z") && f.length == 4) {
                    zombies.add(new ZombieEntry(
                            Integer.parseInt(f[1]), Long.parseLong(f[2]), Instant.ofEpochMilli(Long.parseLong(f[3]))));
                } else {
                    skipped++;
                }
            } catch (IllegalArgumentException e) {
                skipped++;
            }
        }
        return new Saved(sockets, zombies, skipped);
    }

    private static int port(String text) {
        int p = Integer.parseInt(text);
        if (p < 0 || p > 65535) {
            throw new IllegalArgumentException("port " + p);
        }
        return p;
    }

    static String format(List<SocketEntry> sockets, List<ZombieEntry> zombies) {
        StringBuilder out = new StringBuilder(HEADER).append('\n');
        for (SocketEntry e : sockets) {
            out.append("S\t")
                    .append(e.netns())
                    .append('\t')
                    .append(e.state().name())
                    .append('\t')
                    .append(e.local().getHostAddress())
                    .append('\t')
                    .append(e.localPort())
                    .append('\t')
                    .append(e.remote().getHostAddress())
                    .append('\t')
                    .append(e.remotePort())
                    .append('\t')
                    .append(e.inode())
                    .append('\t')
                    .append(e.cookie())
                    .append('\t')
                    .append(e.firstSeen().toEpochMilli())
                    .append('\n');
        }
        for (ZombieEntry z : zombies) {
            out.append("Z\t")
                    .append(z.pid())
                    .append('\t')
                    .append(z.startTicks())
                    .append('\t')
                    .append(z.firstSeen().toEpochMilli())
                    .append('\n');
        }
        return out.toString();
    }

    /** Replaces the file with these entries. */
    public void save(List<SocketEntry> sockets, List<ZombieEntry> zombies) {
        Path tmp = file.resolveSibling(FILE + ".tmp");
        try {
            Files.writeString(tmp, format(sockets, zombies), StandardCharsets.UTF_8);
            try {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            // Ages are a convenience: losing them costs waiting again, never a wrong action.
            LOG.log(System.Logger.Level.WARNING, "Could not save socket ages to " + file + ": " + e.getMessage());
        }
    }
}
