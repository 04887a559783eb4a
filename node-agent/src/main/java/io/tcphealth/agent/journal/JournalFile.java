package io.tcphealth.agent.journal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * The journal's file on disk: read line by line, appended to and replaced, each write forced to the device.
 *
 * <p>A last line without its newline is what a crash in the middle of a write leaves: reading stops before it
 * and remembers where it starts, and the next append cuts it off first.
 */
final class JournalFile {
    /** A line is a few hundred bytes; a longer one is not ours. */
    static final int MAX_LINE = 16 * 1024;

    /** Takes one complete line (without its newline), numbered from 1. */
    interface LineSink {
        void accept(String line, int lineNo) throws IOException;
    }

    private final Path path;
    private long tornTailAt = -1;

    JournalFile(Path path) {
        this.path = path;
    }

    Path path() {
        return path;
    }

    /**
     * Hands every complete line to {@code sink}, in order; nothing when there is no file.
     *
     * @return a warning when the last line is torn
     * @throws JournalCorruptException when a line is too long to be one tcphealth wrote
     */
    Optional<String> read(LineSink sink) throws IOException {
        if (!Files.exists(path)) {
            return Optional.empty();
        }
        byte[] all = Files.readAllBytes(path);
        int start = 0;
        int lineNo = 0;
        while (start < all.length) {
            lineNo++;
            int end = indexOf(all, (byte) '\n', start);
            if (end < 0) {
                tornTailAt = start;
                return Optional.of("Journal " + path + " ends in an incomplete line " + lineNo + " ("
                        + (all.length - start)
                        + " bytes), left by a crash while it was written; the change it announced was never made, "
                        + "so it is ignored");
            }
            if (end - start > MAX_LINE) {
                throw new JournalCorruptException(path, lineNo, "line of " + (end - start) + " bytes is too long");
            }
            sink.accept(new String(all, start, end - start, StandardCharsets.UTF_8), lineNo);
            start = end + 1;
        }
        return Optional.empty();
    }

    /** Appends one line with one write, after cutting off a torn last line, and forces it. */
    void append(String line) throws IOException {
        byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
        boolean created = !Files.exists(path);
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            if (tornTailAt >= 0) {
                ch.truncate(tornTailAt);
                tornTailAt = -1;
            }
            ch.position(ch.size());
            writeAll(ch, bytes);
            ch.force(true);
        }
        if (created) {
            forceDirectory(path.getParent());
        }
    }

    /**
     * Replaces the whole file by {@code text}: written and forced beside it, then renamed over it, so a crash
     * leaves one or the other whole.
     */
    void replace(String text) throws IOException {
        Path next = path.resolveSibling(path.getFileName() + ".new");
        try (FileChannel ch = FileChannel.open(
                next, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            writeAll(ch, text.getBytes(StandardCharsets.UTF_8));
            ch.force(true);
        }
        Files.move(next, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        forceDirectory(path.getParent());
        tornTailAt = -1;
    }

    private static void writeAll(FileChannel ch, byte[] bytes) throws IOException {
        ByteBuffer buf = ByteBuffer.wrap(bytes);
        while (buf.hasRemaining()) {
            ch.write(buf);
        }
    }

    /** A new file's name lives in its directory: force that too, or a crash can lose the whole journal. */
    private static void forceDirectory(Path dir) throws IOException {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        }
    }

    private static int indexOf(byte[] a, byte b, int from) {
        for (int i = from; i < a.length; i++) {
            if (a[i] == b) {
                return i;
            }
        }
        return -1;
    }
}
