package io.tcphealth.agent.proc;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;

/**
 * A procfs mount: {@code /proc} on a host, {@code /host/proc} in a container that mounts the
 * host's. Every path is resolved under {@link #root()}, so tests point it at fixture trees.
 *
 * <p>Reads are capped and never trust the size the file reports: procfs files report 0 (or 4096)
 * and generate their content on read. Integer sysctls even answer end-of-file to a read at offset 1,
 * so a reader that probes with a small first read (as {@code Files.readString} does) gets one byte.
 * {@link #read(Path, int)} therefore issues one large read first.
 */
public final class ProcFs {
    /** Enough for stat, status, limits and cgroup files; a larger one is not what we think it is. */
    public static final int SMALL_FILE_CAP = 64 * 1024;

    private static final int FIRST_READ = 16 * 1024;

    private final Path root;

    public ProcFs(Path root) {
        this.root = root;
    }

    /** The host's {@code /proc}. */
    public static ProcFs host() {
        return new ProcFs(Path.of("/proc"));
    }

    public Path root() {
        return root;
    }

    /** A path under the root: {@code path("net", "tcp")} is {@code <root>/net/tcp}. */
    public Path path(String first, String... more) {
        Path p = root.resolve(first);
        for (String m : more) {
            p = p.resolve(m);
        }
        return p;
    }

    /** {@code <root>/<pid>/<relative>}. */
    public Path pidPath(int pid, String relative) {
        return root.resolve(Integer.toString(pid)).resolve(relative);
    }

    /** {@code <root>/<pid>/task/<tid>/<relative>}. */
    public Path taskPath(int pid, int tid, String relative) {
        return root.resolve(Integer.toString(pid))
                .resolve("task")
                .resolve(Integer.toString(tid))
                .resolve(relative);
    }

    /**
     * The pids present right now, ascending: numeric directory names only ({@code self},
     * {@code sys}, {@code net} and friends are skipped). A listing is a snapshot; any of these may
     * be gone by the time it is read.
     */
    public int[] pids() throws IOException {
        return numericEntries(root);
    }

    /** Thread ids of a process ({@code <root>/<pid>/task}); empty when the process is gone. */
    public int[] tids(int pid) throws IOException {
        try {
            return numericEntries(pidPath(pid, "task"));
        } catch (IOException e) {
            if (isVanished(e)) {
                return new int[0];
            }
            throw e;
        }
    }

    /** Reads a small file as text (UTF-8, malformed bytes replaced), capped at {@link #SMALL_FILE_CAP}. */
    public String read(Path file) throws IOException {
        return read(file, SMALL_FILE_CAP);
    }

    /**
     * Reads a file as text with a size cap.
     *
     * @throws ProcParseException when the file holds more than {@code maxBytes}
     * @throws NoSuchFileException when it does not exist (for a pid's file: the process is gone)
     */
    public String read(Path file, int maxBytes) throws IOException {
        return readCapped(file, maxBytes);
    }

    /** Like {@link #read(Path)}, but empty when the file (or its process) has gone away. */
    public Optional<String> readIfPresent(Path file) throws IOException {
        try {
            return Optional.of(read(file));
        } catch (IOException e) {
            if (isVanished(e)) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /**
     * {@code file}, after checking it is a regular file (procfs and sysfs files are, with size 0).
     * Opening a FIFO blocks until a writer comes, a device may do anything: a proc tree that holds
     * either (a bad mount, a fixture, a hostile container) must not hang the scan, so what is not a
     * regular file is refused before it is opened.
     *
     * @throws NotRegularFileException when it is something else
     */
    public static Path requireRegular(Path file) throws IOException {
        java.nio.file.attribute.BasicFileAttributes a =
                Files.readAttributes(file, java.nio.file.attribute.BasicFileAttributes.class);
        if (!a.isRegularFile()) {
            throw new NotRegularFileException(
                    file,
                    a.isDirectory() ? "a directory" : a.isOther() ? "a FIFO, socket or device" : "not a regular file");
        }
        return file;
    }

    /** A file in the proc tree that is not a regular file, refused unopened. */
    public static final class NotRegularFileException extends java.nio.file.FileSystemException {
        public NotRegularFileException(Path file, String what) {
            super(file.toString(), null, "is " + what + ", not a regular file: refused without opening it");
        }
    }

    /**
     * The capped read behind {@link #read(Path, int)}, for files outside a proc root (sysctl roots).
     * One large read first, then more until end-of-file or the cap.
     */
    public static String readCapped(Path file, int maxBytes) throws IOException {
        if (maxBytes <= 0) {
            throw new IllegalArgumentException("maxBytes must be positive: " + maxBytes);
        }
        try (SeekableByteChannel ch = Files.newByteChannel(requireRegular(file))) {
            // One byte beyond the cap tells "exactly at the cap" from "too large".
            int limit = maxBytes == Integer.MAX_VALUE ? maxBytes : maxBytes + 1;
            ByteBuffer buf = ByteBuffer.allocate(Math.min(limit, FIRST_READ));
            while (true) {
                if (!buf.hasRemaining()) {
                    if (buf.capacity() >= limit) {
                        break;
                    }
                    int bigger = (int) Math.min(limit, (long) buf.capacity() * 2);
                    buf = ByteBuffer.allocate(bigger).put(buf.flip());
                }
                if (ch.read(buf) < 0) {
                    break;
                }
            }
            if (buf.position() > maxBytes) {
                throw new ProcParseException(
                        file.toString(),
                        0,
                        new String(buf.array(), 0, Math.min(buf.position(), 200), StandardCharsets.UTF_8),
                        "larger than " + maxBytes + " bytes");
            }
            return new String(buf.array(), 0, buf.position(), StandardCharsets.UTF_8);
        }
    }

    /** The target of a symbolic link ({@code fd/3 -> socket:[123]}), or empty when it is gone. */
    public Optional<String> readLinkIfPresent(Path link) throws IOException {
        try {
            return Optional.of(Files.readSymbolicLink(link).toString());
        } catch (IOException e) {
            if (isVanished(e)) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /**
     * True for the errors a process that exited mid-read produces: ENOENT on its files and ESRCH
     * ("No such process") on reads from files opened before it died.
     */
    public static boolean isVanished(IOException e) {
        if (e instanceof NoSuchFileException) {
            return true;
        }
        String reason = e instanceof FileSystemException fse ? fse.getReason() : e.getMessage();
        return reason != null && reason.contains("No such process");
    }

    /** True for EACCES and EPERM: reading another user's process without the capability for it. */
    public static boolean isPermissionDenied(IOException e) {
        if (e instanceof AccessDeniedException) {
            return true;
        }
        String reason = e instanceof FileSystemException fse ? fse.getReason() : e.getMessage();
        return reason != null && (reason.contains("Permission denied") || reason.contains("Operation not permitted"));
    }

    private static int[] numericEntries(Path dir) throws IOException {
        int[] out = new int[256];
        int n = 0;
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path entry : entries) {
                int id = parsePositiveInt(entry.getFileName().toString());
                if (id > 0) {
                    if (n == out.length) {
                        out = Arrays.copyOf(out, n * 2);
                    }
                    out[n++] = id;
                }
            }
        } catch (DirectoryIteratorException e) {
            throw e.getCause();
        }
        int[] result = Arrays.copyOf(out, n);
        Arrays.sort(result);
        return result;
    }

    /** The value of an all-digit name, or -1 for anything else (including overflow). */
    static int parsePositiveInt(String s) {
        if (s.isEmpty() || s.length() > 10) {
            return -1;
        }
        long v = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v > Integer.MAX_VALUE ? -1 : (int) v;
    }
}
