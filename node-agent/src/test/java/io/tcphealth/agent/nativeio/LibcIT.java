package io.tcphealth.agent.nativeio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import org.junit.jupiter.api.Test;

/** errno reaches the caller from each kind of call, named and explained. */
class LibcIT {
    private final Libc libc = new Libc();

    @Test
    void failedCallsCarryTheirErrno() {
        assertThatThrownBy(() -> libc.open("/nonexistent/tcphealth", Libc.O_RDONLY))
                .isInstanceOfSatisfying(
                        ErrnoException.class, e -> assertThat(e.errno()).isEqualTo(Errno.ENOENT))
                .hasMessage("open(/nonexistent/tcphealth): ENOENT (No such file or directory)");
        assertThatThrownBy(() -> libc.socket(Libc.AF_NETLINK, Libc.SOCK_RAW, 4242))
                .hasMessage("socket(16, 3, 4242): EPROTONOSUPPORT (Protocol not supported)");
        assertThatThrownBy(() -> libc.close(-1)).hasMessage("close(fd -1): EBADF (Bad file descriptor)");
        assertThatThrownBy(() -> libc.setns(-1, Libc.CLONE_NEWNET))
                .isInstanceOfSatisfying(
                        ErrnoException.class, e -> assertThat(e.errno()).isEqualTo(Errno.EBADF));
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buf = arena.allocate(16);
            assertThatThrownBy(() -> libc.recv(-1, buf, 16, 0)).hasMessageContaining("EBADF");
            assertThatThrownBy(() -> libc.sendto(-1, buf, 16, 0, buf)).hasMessageContaining("EBADF");
            assertThatThrownBy(() -> libc.bind(-1, buf)).hasMessageContaining("EBADF");
            assertThatThrownBy(() -> libc.setsockopt(-1, Libc.SOL_SOCKET, Libc.SO_RCVBUF, 1))
                    .hasMessageContaining("EBADF");
        }
    }

    @Test
    void successfulCallsReturnDescriptors() throws Exception {
        int fd = libc.open("/proc/self/ns/net", Libc.O_RDONLY | Libc.O_CLOEXEC);
        assertThat(fd).isGreaterThanOrEqualTo(0);
        libc.close(fd);
        int sock = libc.socket(Libc.AF_NETLINK, Libc.SOCK_RAW | Libc.SOCK_CLOEXEC, 4);
        assertThat(sock).isGreaterThanOrEqualTo(0);
        libc.close(sock);
    }

    @Test
    void unknownErrnoNumbersStillSaySomething() {
        assertThat(Errno.describe(200)).isEqualTo("errno 200");
        assertThat(new ErrnoException("x", 95).getMessage()).isEqualTo("x: EOPNOTSUPP (Operation not supported)");
    }
}
