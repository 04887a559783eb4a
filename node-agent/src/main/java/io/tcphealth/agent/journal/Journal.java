package io.tcphealth.agent.journal;

import io.tcphealth.agent.journal.Change.Lifetime;
import io.tcphealth.agent.proc.SysctlKey;
import java.io.Closeable;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The node-local record of every value tcphealth changed, written before the change is made.
 *
 * <p>Format: {@code DIR/journal.log}, one record a line: eight hex digits of the CRC-32 of the JSON
 * text, a space, the JSON text of a {@link JournalEntry}, a newline. Each line is written with one
 * {@code write} and forced to the device before the change it announces is made; the directory is
 * forced when the file is created, so the file itself survives a power cut.
 *
 * <p>A change is opened by an {@code intent} (original and target) and closed by {@code restored},
 * {@code gone} (its namespace no longer exists) or {@code released} (left as it is on purpose).
 *
 * <p>Damage: a last line without its newline is what a crash in the middle of a write leaves; the
 * change it announced was never made (changes follow only a completed, forced write), so that line
 * is reported, ignored and cut off before the next append. Anything else (a bad checksum, unreadable
 * JSON, an unknown type, a reference to no open change) raises {@link JournalCorruptException}:
 * tcphealth never guesses which values to write from a journal it cannot trust.
 *
 * <p>Sockets destroyed and signals sent are recorded as {@code action} lines; they make the file grow, so
 * {@link #compactIfLarger} rewrites it, past a size, with only the open changes and a {@code pulse} line for
 * the cool-down.
 *
 * <p>One process at a time: an exclusive lock on {@code DIR/lock} (released by the kernel when the
 * holder dies, even by SIGKILL).
 */
public final class Journal implements Closeable {
    public static final String FILE = "journal.log";
    static final String LOCK = "lock";

    private final Path file;
    private final Clock clock;
    private final FileChannel lockChannel;
    private final FileLock lock;
    private final JournalFile disk;
    private final JournalLines lines = new JournalLines();
    private final Map<Long, Change> open = new LinkedHashMap<>();
    private final List<String> warnings = new ArrayList<>();
    private long lastSeq;
    private Instant lastPulse;

    /**
     * Reads the journal in {@code dir} without locking or ever writing it, for looking at what a running
     * agent holds ({@code diagnose --plan}). Empty when there is none.
     */
    public static Journal readOnly(Path dir, Clock clock) throws IOException {
        Journal journal = new Journal(dir, clock, null, null);
        journal.load();
        return journal;
    }

    private Journal(Path dir, Clock clock, FileChannel lockChannel, FileLock lock) {
        this.file = dir.resolve(FILE);
        this.disk = new JournalFile(file);
        this.clock = clock;
        this.lockChannel = lockChannel;
        this.lock = lock;
    }

    /**
     * Opens (creating if needed) the journal in {@code dir} and reads it.
     *
     * @throws JournalCorruptException when it holds anything but what tcphealth wrote (see the class comment)
     * @throws IOException             when another process holds it, or it cannot be read
     */
    public static Journal open(Path dir, Clock clock) throws IOException {
        Files.createDirectories(dir);
        FileChannel lockChannel =
                FileChannel.open(dir.resolve(LOCK), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = lockChannel.tryLock();
        } catch (java.nio.channels.OverlappingFileLockException e) {
            lock = null; // held by this very process
        } catch (IOException e) {
            lockChannel.close();
            throw e;
        }
        if (lock == null) {
            lockChannel.close();
            throw new IOException("Journal " + dir + " is in use by another tcphealth process");
        }
        Journal journal = new Journal(dir, clock, lockChannel, lock);
        try {
            journal.load();
        } catch (IOException | RuntimeException e) {
            journal.close();
            throw e;
        }
        return journal;
    }

    public Path file() {
        return file;
    }

    /** What was noticed while reading, such as a torn last line. */
    public List<String> warnings() {
        return List.copyOf(warnings);
    }

    /** Every open change, oldest first. */
    public synchronized List<Change> openChanges() {
        return List.copyOf(open.values());
    }

    public synchronized Optional<Change> openChange(
            SysctlKey key, long netnsInode, Path sysctlRoot, Lifetime lifetime) {
        return open.values().stream()
                .filter(c -> c.sameSlot(key, netnsInode, sysctlRoot, lifetime))
                .findFirst();
    }

    /** When the last orphan pulse began, if the journal has one: cool-downs outlive restarts. */
    public synchronized Optional<Instant> lastPulse() {
        return Optional.ofNullable(lastPulse);
    }

    /**
     * Writes (and forces) the intent to set {@code key} from {@code original} to {@code target}. When a
     * change of the same slot is already open, the new intent keeps that change's original: the value to
     * return to is always the one before tcphealth's first change.
     */
    public synchronized Change recordIntent(
            SysctlKey key,
            String netns,
            Path netnsPath,
            long netnsInode,
            List<Integer> pids,
            Path sysctlRoot,
            long original,
            long target,
            String policy,
            Lifetime lifetime,
            boolean restoreOnDelete)
            throws IOException {
        Optional<Change> existing = openChange(key, netnsInode, sysctlRoot, lifetime);
        long keptOriginal = existing.map(Change::original).orElse(original);
        List<Integer> somePids = pids.size() > 5 ? pids.subList(0, 5) : pids;
        JournalEntry e = new JournalEntry(
                lastSeq + 1,
                JournalEntry.INTENT,
                now().toString(),
                null,
                key.dottedName(),
                netns,
                netnsPath.toString(),
                netnsInode,
                somePids,
                sysctlRoot.toString(),
                keptOriginal,
                target,
                policy,
                lifetime.word(),
                restoreOnDelete,
                null,
                null);
        append(e);
        return apply(e, 0);
    }

    /** Closes a change: {@code type} is {@link JournalEntry#RESTORED}, {@code GONE} or {@code RELEASED}. */
    public synchronized void recordClosed(Change change, String type, Long value, String detail) throws IOException {
        if (!open.containsKey(change.id())) {
            throw new IllegalStateException("Change " + change.id() + " is not open");
        }
        JournalEntry e = new JournalEntry(
                lastSeq + 1,
                type,
                now().toString(),
                change.id(),
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                value,
                detail);
        append(e);
        apply(e, 0);
    }

    /** Records something done that cannot be undone (a socket destroyed, a signal sent), for the audit trail. */
    public synchronized void recordAction(String what) throws IOException {
        JournalEntry e = new JournalEntry(
                lastSeq + 1,
                JournalEntry.ACTION,
                now().toString(),
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                what);
        append(e);
        apply(e, 0);
    }

    /**
     * Rewrites the journal with only what is still needed, when it has grown past {@code maxBytes}: the intent
     * of every open change (original, latest target, first time) and when the last pulse began. The new file
     * is written and forced beside the old one and renamed over it, so a crash leaves one or the other whole.
     *
     * @return true when it was rewritten
     */
    public synchronized boolean compactIfLarger(long maxBytes) throws IOException {
        if (lock == null) {
            throw new IllegalStateException("Journal " + file + " was opened read-only");
        }
        if (!Files.exists(file) || Files.size(file) <= maxBytes) {
            return false;
        }
        StringBuilder text = new StringBuilder();
        long seq = 0;
        if (lastPulse != null) {
            text.append(line(new JournalEntry(
                    ++seq,
                    JournalEntry.PULSE,
                    lastPulse.toString(),
                    null,
                    null,
                    null,
                    null,
                    null,
                    null,
                    null,
                    null,
                    null,
                    null,
                    null,
                    null,
                    null,
                    null)));
        }
        List<Change> kept = new ArrayList<>(open.values());
        for (Change c : kept) {
            text.append(line(new JournalEntry(
                    ++seq,
                    JournalEntry.INTENT,
                    c.opened().toString(),
                    null,
                    c.key().dottedName(),
                    c.netns(),
                    c.netnsPath().toString(),
                    c.netnsInode(),
                    c.netnsPids(),
                    c.sysctlRoot().toString(),
                    c.original(),
                    c.target(),
                    c.policy(),
                    c.lifetime().word(),
                    c.restoreOnDelete(),
                    null,
                    "kept by compaction")));
        }
        disk.replace(text.toString());
        open.clear();
        lastSeq = 0;
        load();
        return true;
    }

    private String line(JournalEntry e) throws IOException {
        return lines.encode(e);
    }

    private Instant now() {
        return clock.instant();
    }

    private void append(JournalEntry e) throws IOException {
        if (lock == null) {
            throw new IllegalStateException("Journal " + file + " was opened read-only");
        }
        disk.append(line(e));
        lastSeq = e.seq();
    }

    private void load() throws IOException {
        disk.read((line, lineNo) -> apply(parse(line, lineNo), lineNo)).ifPresent(warnings::add);
    }

    private JournalEntry parse(String line, int lineNo) throws JournalCorruptException {
        JournalEntry e = lines.decode(file, line, lineNo, lastSeq);
        lastSeq = e.seq();
        return e;
    }

    /** Updates the open changes with one record; {@code lineNo} 0 for records written by this process. */
    private Change apply(JournalEntry e, int lineNo) throws JournalCorruptException {
        switch (e.type()) {
            case JournalEntry.INTENT -> {
                Change c;
                try {
                    SysctlKey key = SysctlKey.fromDottedName(e.key());
                    Lifetime lifetime = Lifetime.of(e.lifetime());
                    Path root = Path.of(e.sysctlRoot());
                    Optional<Change> existing = openChange(key, e.netnsInode(), root, lifetime);
                    long id = existing.map(Change::id).orElse(e.seq());
                    Instant opened = existing.map(Change::opened).orElse(Instant.parse(e.time()));
                    c = new Change(
                            id,
                            key,
                            e.netns(),
                            Path.of(e.netnsPath()),
                            e.netnsInode(),
                            e.netnsPids() == null ? List.of() : e.netnsPids(),
                            root,
                            existing.map(Change::original).orElse(e.original()),
                            e.target(),
                            e.policy(),
                            lifetime,
                            Boolean.TRUE.equals(e.restoreOnDelete()),
                            opened);
                } catch (RuntimeException ex) {
                    throw new JournalCorruptException(file, lineNo, "incomplete intent record: " + ex.getMessage());
                }
                open.put(c.id(), c);
                if (c.lifetime() == Lifetime.TRANSIENT && c.key() == SysctlKey.TCP_MAX_ORPHANS && c.target() == 0) {
                    lastPulse = Instant.parse(e.time());
                }
                return c;
            }
            case JournalEntry.ACTION -> {
                return null;
            }
            case JournalEntry.PULSE -> {
                try {
                    lastPulse = Instant.parse(e.time());
                } catch (RuntimeException ex) {
                    throw new JournalCorruptException(file, lineNo, "pulse record without a time: " + ex.getMessage());
                }
                return null;
            }
            default -> {
                if (e.ref() == null || open.remove(e.ref()) == null) {
                    throw new JournalCorruptException(
                            file, lineNo, e.type() + " record refers to change " + e.ref() + ", which is not open");
                }
                return null;
            }
        }
    }

    @Override
    public void close() throws IOException {
        if (lock == null) {
            return;
        }
        try {
            if (lock.isValid()) {
                lock.release();
            }
        } finally {
            lockChannel.close();
        }
    }
}
