package io.tcphealth.agent.nativeio;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

/**
 * The few libc calls the agent needs (sockets, files, {@code setns}), through the FFM API.
 *
 * <p>Every call captures {@code errno} right after the call returns (the JVM may itself change it
 * before Java code could read it) and turns a failure into an {@link ErrnoException} naming the
 * call. Calls interrupted by a signal ({@code EINTR}) are repeated.
 *
 * <p>The method handles are shared (they are immutable bindings to libc functions); an instance
 * holds no state, so it can be passed around as a collaborator and used from any thread.
 */
public final class Libc {
    public static final int AF_NETLINK = 16;
    public static final int SOCK_RAW = 3;
    public static final int SOCK_CLOEXEC = 0x80000;
    public static final int SOL_SOCKET = 1;
    public static final int SO_REUSEADDR = 2;
    public static final int SO_RCVBUF = 8;
    public static final int SO_REUSEPORT = 15;
    public static final int SO_BINDTODEVICE = 25;
    public static final int SO_RCVTIMEO = 20;
    public static final int MSG_TRUNC = 0x20;
    public static final int O_RDONLY = 0;
    public static final int O_CLOEXEC = 0x80000;
    public static final int CLONE_NEWNET = 0x40000000;

    /**
     * The linker and the errno capture layout, made on the first call: setting up FFM costs a one-shot command
     * milliseconds of start-up, and a diagnose of a namespace without sockets makes no libc call at all.
     */
    private static final class Ffm {
        static final Linker LINKER = Linker.nativeLinker();
        static final StructLayout CAPTURE_LAYOUT = Linker.Option.captureStateLayout();
        static final VarHandle ERRNO = CAPTURE_LAYOUT.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    }

    public static final int SIGCHLD = 17;

    // One holder class per call: a downcall handle costs milliseconds to link at start-up, so each is linked the
    // first time it is used (a diagnose of this namespace never links setns or kill).
    private static final class SocketCall {
        static final MethodHandle HANDLE =
                bind("socket", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT));
    }

    private static final class BindCall {
        static final MethodHandle HANDLE = bind("bind", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
    }

    private static final class SetsockoptCall {
        static final MethodHandle HANDLE =
                bind("setsockopt", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
    }

    private static final class SendtoCall {
        static final MethodHandle HANDLE = bind(
                "sendto", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT, ADDRESS, JAVA_INT));
    }

    private static final class RecvCall {
        static final MethodHandle HANDLE =
                bind("recv", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT));
    }

    private static final class CloseCall {
        static final MethodHandle HANDLE = bind("close", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    }

    private static final class OpenCall {
        static final MethodHandle HANDLE = bind("open", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
    }

    private static final class SetnsCall {
        static final MethodHandle HANDLE = bind("setns", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
    }

    private static final class GetsockoptCall {
        static final MethodHandle HANDLE =
                bind("getsockopt", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, ADDRESS));
    }

    private static final class PidfdOpenCall {
        static final MethodHandle HANDLE = bind("pidfd_open", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
    }

    private static final class PidfdGetfdCall {
        static final MethodHandle HANDLE =
                bind("pidfd_getfd", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT));
    }

    private static final class IfIndexToNameCall {
        static final MethodHandle HANDLE = bind("if_indextoname", FunctionDescriptor.of(ADDRESS, JAVA_INT, ADDRESS));
    }

    private static final class KillCall {
        static final MethodHandle HANDLE = bind("kill", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
    }

    @SuppressWarnings("restricted")
    private static MethodHandle bind(String name, FunctionDescriptor descriptor) {
        MemorySegment symbol = Ffm.LINKER
                .defaultLookup()
                .find(name)
                .orElseThrow(() -> new IllegalStateException("libc has no symbol " + name));
        return Ffm.LINKER.downcallHandle(symbol, descriptor, Linker.Option.captureCallState("errno"));
    }

    /** @return the new file descriptor */
    public int socket(int domain, int type, int protocol) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(Ffm.CAPTURE_LAYOUT);
            int fd = (int) SocketCall.HANDLE.invokeExact(state, domain, type, protocol);
            if (fd < 0) {
                throw failure("socket(" + domain + ", " + type + ", " + protocol + ")", state);
            }
            return fd;
        } catch (ErrnoException e) {
            throw e;
        } catch (Throwable t) {
            throw linkageFailure(t);
        }
    }

    /** Binds to the address held in {@code address} (its whole length is the address length). */
    public void bind(int fd, MemorySegment address) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(Ffm.CAPTURE_LAYOUT);
            int r = (int) BindCall.HANDLE.invokeExact(state, fd, address, (int) address.byteSize());
            if (r < 0) {
                throw failure("bind(fd " + fd + ")", state);
            }
        } catch (ErrnoException e) {
            throw e;
        } catch (Throwable t) {
            throw linkageFailure(t);
        }
    }

    /** Sets a socket option whose value is the whole of {@code value}. */
    public void setsockopt(int fd, int level, int option, MemorySegment value) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(Ffm.CAPTURE_LAYOUT);
            int r = (int) SetsockoptCall.HANDLE.invokeExact(state, fd, level, option, value, (int) value.byteSize());
            if (r < 0) {
                throw failure("setsockopt(fd " + fd + ", " + level + ", " + option + ")", state);
            }
        } catch (ErrnoException e) {
            throw e;
        } catch (Throwable t) {
            throw linkageFailure(t);
        }
    }

    /** Sets an {@code int}-valued socket option. */
    public void setsockopt(int fd, int level, int option, int value) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            setsockopt(fd, level, option, arena.allocateFrom(JAVA_INT, value));
        }
    }

    /** Sends {@code length} bytes of {@code buffer} to {@code address} (whole segment = address). */
    public long sendto(int fd, MemorySegment buffer, long length, int flags, MemorySegment address)
            throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(Ffm.CAPTURE_LAYOUT);
            while (true) {
                long n = (long) SendtoCall.HANDLE.invokeExact(
                        state, fd, buffer, length, flags, address, (int) address.byteSize());
                if (n >= 0) {
                    return n;
                }
                if (errno(state) != Errno.EINTR) {
                    throw failure("sendto(fd " + fd + ")", state);
                }
            }
        } catch (ErrnoException e) {
            throw e;
        } catch (Throwable t) {
            throw linkageFailure(t);
        }
    }

    /**
     * Receives into the first {@code length} bytes of {@code buffer}.
     *
     * @return the byte count; with {@link #MSG_TRUNC} on a datagram socket, the datagram's real
     *         length, which exceeds {@code length} when it did not fit
     */
    public long recv(int fd, MemorySegment buffer, long length, int flags) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(Ffm.CAPTURE_LAYOUT);
            while (true) {
                long n = (long) RecvCall.HANDLE.invokeExact(state, fd, buffer, length, flags);
                if (n >= 0) {
                    return n;
                }
                if (errno(state) != Errno.EINTR) {
                    throw failure("recv(fd " + fd + ")", state);
                }
            }
        } catch (ErrnoException e) {
            throw e;
        } catch (Throwable t) {
            throw linkageFailure(t);
        }
    }

    /**
     * Closes a descriptor. EINTR is not retried: on Linux the descriptor is released even then,
     * and a retry could close a descriptor another thread has just been given.
     */
    public void close(int fd) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(Ffm.CAPTURE_LAYOUT);
            int r = (int) CloseCall.HANDLE.invokeExact(state, fd);
            if (r < 0 && errno(state) != Errno.EINTR) {
                throw failure("close(fd " + fd + ")", state);
            }
        } catch (ErrnoException e) {
            throw e;
        } catch (Throwable t) {
            throw linkageFailure(t);
        }
    }

    /** @return the new file descriptor */
    public int open(String path, int flags) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(Ffm.CAPTURE_LAYOUT);
            MemorySegment cPath = arena.allocateFrom(path);
            while (true) {
                int fd = (int) OpenCall.HANDLE.invokeExact(state, cPath, flags);
                if (fd >= 0) {
                    return fd;
                }
                if (errno(state) != Errno.EINTR) {
                    throw failure("open(" + path + ")", state);
                }
            }
        } catch (ErrnoException e) {
            throw e;
        } catch (Throwable t) {
            throw linkageFailure(t);
        }
    }

    /** Moves the calling thread (only it) into the namespace {@code fd} refers to. */
    public void setns(int fd, int nstype) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(Ffm.CAPTURE_LAYOUT);
            int r = (int) SetnsCall.HANDLE.invokeExact(state, fd, nstype);
            if (r < 0) {
                throw failure("setns(fd " + fd + ", " + nstype + ")", state);
            }
        } catch (ErrnoException e) {
            throw e;
        } catch (Throwable t) {
            throw linkageFailure(t);
        }
    }

    /**
     * Reads a socket option into a buffer of {@code capacity} bytes.
     *
     * @return the bytes the kernel wrote (as long as it said)
     */
    public byte[] getsockopt(int fd, int level, int option, int capacity) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(Ffm.CAPTURE_LAYOUT);
            MemorySegment value = arena.allocate(capacity);
            MemorySegment length = arena.allocateFrom(JAVA_INT, capacity);
            int r = (int) GetsockoptCall.HANDLE.invokeExact(state, fd, level, option, value, length);
            if (r < 0) {
                throw failure("getsockopt(fd " + fd + ", " + level + ", " + option + ")", state);
            }
            int n = Math.min(capacity, Math.max(0, length.get(JAVA_INT, 0)));
            return value.asSlice(0, n).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE);
        } catch (ErrnoException e) {
            throw e;
        } catch (Throwable t) {
            throw linkageFailure(t);
        }
    }

    /** Reads an {@code int}-valued socket option. */
    public int getsockoptInt(int fd, int level, int option) throws ErrnoException {
        byte[] b = getsockopt(fd, level, option, 4);
        if (b.length < 4) {
            throw new IllegalStateException("getsockopt(" + level + ", " + option + ") gave " + b.length + " bytes");
        }
        return java.nio.ByteBuffer.wrap(b)
                .order(java.nio.ByteOrder.nativeOrder())
                .getInt();
    }

    /**
     * A file descriptor referring to process {@code pid} ({@code pidfd_open(2)}, Linux 5.3), opened close-on-exec
     * as every pidfd is.
     */
    public int pidfdOpen(int pid) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(Ffm.CAPTURE_LAYOUT);
            int fd = (int) PidfdOpenCall.HANDLE.invokeExact(state, pid, 0);
            if (fd < 0) {
                throw failure("pidfd_open(" + pid + ")", state);
            }
            return fd;
        } catch (ErrnoException e) {
            throw e;
        } catch (Throwable t) {
            throw linkageFailure(t);
        }
    }

    /**
     * A copy, in this process, of another process's descriptor {@code targetFd} ({@code pidfd_getfd(2)}, Linux 5.6;
     * it needs the right to ptrace that process). The copy refers to the same open file: closing it leaves the
     * other process's descriptor as it was.
     */
    public int pidfdGetfd(int pidfd, int targetFd) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(Ffm.CAPTURE_LAYOUT);
            int fd = (int) PidfdGetfdCall.HANDLE.invokeExact(state, pidfd, targetFd, 0);
            if (fd < 0) {
                throw failure("pidfd_getfd(fd " + targetFd + ")", state);
            }
            return fd;
        } catch (ErrnoException e) {
            throw e;
        } catch (Throwable t) {
            throw linkageFailure(t);
        }
    }

    /**
     * The name of interface {@code index} in the calling thread's network namespace ({@code if_indextoname(3)}, which
     * asks through a socket of that namespace), or null when it has none by that index.
     */
    public String ifIndexToName(int index) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(Ffm.CAPTURE_LAYOUT);
            MemorySegment name = arena.allocate(16); // IF_NAMESIZE
            MemorySegment r = (MemorySegment) IfIndexToNameCall.HANDLE.invokeExact(state, index, name);
            if (r.address() == 0) {
                if (errno(state) == Errno.ENXIO) {
                    return null;
                }
                throw failure("if_indextoname(" + index + ")", state);
            }
            return name.getString(0);
        } catch (ErrnoException e) {
            throw e;
        } catch (Throwable t) {
            throw linkageFailure(t);
        }
    }

    /** Sends signal {@code sig} to process {@code pid} (a positive pid only: never a group or every process). */
    public void kill(int pid, int sig) throws ErrnoException {
        if (pid <= 0) {
            throw new IllegalArgumentException(
                    "Refusing to signal pid " + pid + ": only single processes are signalled");
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(Ffm.CAPTURE_LAYOUT);
            int r = (int) KillCall.HANDLE.invokeExact(state, pid, sig);
            if (r < 0) {
                throw failure("kill(" + pid + ", " + sig + ")", state);
            }
        } catch (ErrnoException e) {
            throw e;
        } catch (Throwable t) {
            throw linkageFailure(t);
        }
    }

    private static int errno(MemorySegment state) {
        return (int) Ffm.ERRNO.get(state, 0L);
    }

    private static ErrnoException failure(String operation, MemorySegment state) {
        return new ErrnoException(operation, errno(state));
    }

    private static IllegalStateException linkageFailure(Throwable t) {
        if (t instanceof RuntimeException r) {
            throw r;
        }
        if (t instanceof Error e) {
            throw e;
        }
        return new IllegalStateException("Native call failed unexpectedly", t);
    }
}
