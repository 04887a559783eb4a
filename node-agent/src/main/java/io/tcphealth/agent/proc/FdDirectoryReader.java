package io.tcphealth.agent.proc;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT_UNALIGNED;

import io.tcphealth.agent.nativeio.Errno;
import io.tcphealth.agent.nativeio.ErrnoException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Reads one {@code /proc/<pid>/fd} directory the way {@link SocketOwners#readSocketFds} does, with
 * fewer system calls and no objects per entry: the directory is opened once, listed with
 * {@code getdents64} into a buffer, and each link is read with {@code readlinkat} relative to the
 * open directory into a second buffer, where the {@code socket:[<inode>]} text is parsed in place.
 *
 * <p>Reading through {@code java.nio} costs twice the kernel's own time at 100k fds: every link is
 * looked up again from {@code /proc} down (four path components instead of one), and every entry
 * makes path, string and byte-array objects. These four calls have their own bindings rather than
 * going through {@code Libc} so that one errno capture segment serves a whole directory.
 */
final class FdDirectoryReader implements SocketOwners.FdReader {
    private static final int O_RDONLY = 0;
    private static final int O_DIRECTORY = 0x10000;
    private static final int O_CLOEXEC = 0x80000;
    /** struct linux_dirent64: u64 d_ino, s64 d_off, u16 d_reclen, u8 d_type, char d_name[]. */
    private static final int RECLEN = 16;

    private static final int NAME = 19;
    private static final int ENTRIES_BYTES = 32 * 1024;
    /** "socket:[" + 20 digits + "]" fits; anything longer is not a socket. */
    private static final int LINK_BYTES = 64;

    private static final int DOT = -2;
    private static final byte[] SOCKET_PREFIX = "socket:[".getBytes(StandardCharsets.US_ASCII);

    private static final Linker LINKER = Linker.nativeLinker();
    private static final StructLayout CAPTURE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CAPTURE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    private static final MethodHandle OPEN = bind("open", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle GETDENTS64 =
            bind("getdents64", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG));
    private static final MethodHandle READLINKAT =
            bind("readlinkat", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, ADDRESS, JAVA_LONG));
    private static final MethodHandle CLOSE = bind("close", FunctionDescriptor.of(JAVA_INT, JAVA_INT));

    private FdDirectoryReader() {}

    /** The reader, or empty when this libc lacks one of the calls (getdents64 came with glibc 2.30). */
    static Optional<SocketOwners.FdReader> ifAvailable() {
        if (OPEN == null || GETDENTS64 == null || READLINKAT == null || CLOSE == null) {
            return Optional.empty();
        }
        return Optional.of(new FdDirectoryReader());
    }

    @SuppressWarnings("restricted")
    private static MethodHandle bind(String name, FunctionDescriptor descriptor) {
        try {
            return LINKER.defaultLookup()
                    .find(name)
                    .map(symbol -> LINKER.downcallHandle(symbol, descriptor, Linker.Option.captureCallState("errno")))
                    .orElse(null);
        } catch (RuntimeException | Error e) {
            // Native access not enabled, or no linker for this platform: java.nio does the work.
            return null;
        }
    }

    @Override
    public int read(Path dir, SocketOwners.SocketFdSink sink, ScanProblems problems) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CAPTURE);
            int dirFd = (int)
                    OPEN.invokeExact(state, arena.allocateFrom(dir.toString()), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
            if (dirFd < 0) {
                failed(dir, "open", errno(state), problems);
                return -1;
            }
            try {
                return readEntries(dirFd, dir, arena, state, sink, problems);
            } finally {
                int ignored = (int) CLOSE.invokeExact(state, dirFd);
            }
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("Native call failed unexpectedly", t);
        }
    }

    private static int readEntries(
            int dirFd,
            Path dir,
            Arena arena,
            MemorySegment state,
            SocketOwners.SocketFdSink sink,
            ScanProblems problems)
            throws Throwable {
        MemorySegment entries = arena.allocate(ENTRIES_BYTES);
        MemorySegment link = arena.allocate(LINK_BYTES);
        int seen = 0;
        while (true) {
            long filled = (long) GETDENTS64.invokeExact(state, dirFd, entries, (long) ENTRIES_BYTES);
            if (filled == 0) {
                return seen;
            }
            if (filled < 0) {
                int errno = errno(state);
                if (errno == Errno.EINTR) {
                    continue;
                }
                failed(dir, "getdents64", errno, problems);
                return -1;
            }
            for (long offset = 0; offset < filled; ) {
                int length = Short.toUnsignedInt(entries.get(JAVA_SHORT_UNALIGNED, offset + RECLEN));
                long name = offset + NAME;
                offset += length;
                int fd = fdNumber(entries, name);
                if (fd == DOT) {
                    continue;
                }
                seen++;
                if (fd < 0) {
                    continue;
                }
                long read = (long) READLINKAT.invokeExact(state, dirFd, entries.asSlice(name), link, (long) LINK_BYTES);
                if (read < 0) {
                    int errno = errno(state);
                    // The fd was closed between listing and readlink, or the process left.
                    if (errno == Errno.ENOENT || errno == Errno.ESRCH) {
                        continue;
                    }
                    // A process we may list but not inspect: every link would fail alike, so say it
                    // once for the directory.
                    boolean denied = errno == Errno.EACCES || errno == Errno.EPERM;
                    Path what = denied ? dir : dir.resolve(Integer.toString(fd));
                    problems.couldNotRead(what, new ErrnoException("readlink(" + what + ")", errno));
                    if (denied) {
                        return seen;
                    }
                    continue;
                }
                long inode = socketInode(link, (int) read);
                if (inode > 0) {
                    sink.socketFd(fd, inode);
                }
            }
        }
    }

    /** The fd number a NUL-terminated entry name stands for; DOT for "." and "..", -1 for other names. */
    static int fdNumber(MemorySegment buf, long at) {
        byte first = buf.get(JAVA_BYTE, at);
        if (first == '.') {
            return DOT;
        }
        long value = 0;
        int digits = 0;
        for (long i = at; ; i++) {
            byte b = buf.get(JAVA_BYTE, i);
            if (b == 0) {
                break;
            }
            if (b < '0' || b > '9' || ++digits > 10) {
                return -1;
            }
            value = value * 10 + (b - '0');
        }
        return digits == 0 || value > Integer.MAX_VALUE ? -1 : (int) value;
    }

    /** The inode of a {@code socket:[12345]} link text of {@code length} bytes, or -1 for anything else. */
    static long socketInode(MemorySegment link, int length) {
        int prefix = SOCKET_PREFIX.length;
        if (length <= prefix + 1 || length >= LINK_BYTES || link.get(JAVA_BYTE, length - 1) != ']') {
            return -1;
        }
        for (int i = 0; i < prefix; i++) {
            if (link.get(JAVA_BYTE, i) != SOCKET_PREFIX[i]) {
                return -1;
            }
        }
        if (length - 1 - prefix > 18) {
            return -1;
        }
        long value = 0;
        for (int i = prefix; i < length - 1; i++) {
            byte b = link.get(JAVA_BYTE, i);
            if (b < '0' || b > '9') {
                return -1;
            }
            value = value * 10 + (b - '0');
        }
        return value;
    }

    private static void failed(Path dir, String call, int errno, ScanProblems problems) {
        if (errno == Errno.ENOENT || errno == Errno.ESRCH) {
            problems.countVanished();
        } else {
            problems.couldNotRead(dir, new ErrnoException(call + "(" + dir + ")", errno));
        }
    }

    private static int errno(MemorySegment state) {
        return (int) ERRNO.get(state, 0L);
    }
}
