package io.tcphealth.agent.nativeio;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.util.OptionalInt;

/** The width of the terminal behind a file descriptor: {@code ioctl(fd, TIOCGWINSZ)}, as {@code stty size} asks. */
public final class TerminalSize {
    private static final long TIOCGWINSZ = 0x5413;

    private TerminalSize() {}

    /** Its own class, so the downcall is linked only by a command that asks (a table for a terminal). */
    private static final class Ioctl {
        @SuppressWarnings("restricted")
        static final MethodHandle HANDLE = Linker.nativeLinker()
                .downcallHandle(
                        Linker.nativeLinker().defaultLookup().find("ioctl").orElseThrow(),
                        FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, ADDRESS),
                        Linker.Option.firstVariadicArg(2));
    }

    /** The columns of the terminal {@code fd} is connected to; empty when it is not a terminal (a pipe, a file). */
    public static OptionalInt columns(int fd) {
        try (Arena arena = Arena.ofConfined()) {
            // struct winsize { unsigned short ws_row, ws_col, ws_xpixel, ws_ypixel; }
            MemorySegment size = arena.allocate(8, 2);
            int r = (int) Ioctl.HANDLE.invokeExact(fd, TIOCGWINSZ, size);
            int columns = Short.toUnsignedInt(size.get(JAVA_SHORT, 2));
            return r == 0 && columns > 0 ? OptionalInt.of(columns) : OptionalInt.empty();
        } catch (Throwable t) {
            return OptionalInt.empty();
        }
    }
}
