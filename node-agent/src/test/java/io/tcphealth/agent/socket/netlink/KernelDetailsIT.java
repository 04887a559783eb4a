package io.tcphealth.agent.socket.netlink;

import static org.assertj.core.api.Assertions.assertThat;

import io.tcphealth.agent.nativeio.Libc;
import io.tcphealth.agent.netns.NamespaceExecutor;
import io.tcphealth.agent.netns.NetNamespace;
import io.tcphealth.agent.socket.TcpSocket;
import io.tcphealth.agent.socket.TcpState;
import io.tcphealth.agent.socket.TimerKind;
import io.tcphealth.testsupport.TestNetns;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What the dump carries beyond the 72-byte message, against {@code ss -tanieom} on the same sockets:
 * tcp_info (idle times, rto, backoff, windows), socket memory, shutdown, v6only; and the sockets that
 * are only bound, which {@code ss} 6.1 does not list but {@code bind()} runs into.
 */
class KernelDetailsIT {
    private static final Pattern SK = Pattern.compile("\\bsk:([0-9a-f]+)");
    private static final Pattern SKMEM =
            Pattern.compile("skmem:\\(r(\\d+),rb(\\d+),t(\\d+),tb(\\d+),f(\\d+),w(\\d+),o(\\d+),bl(\\d+),d(\\d+)\\)");
    private static final Pattern SHUTDOWN_ARROW = Pattern.compile("\\s([<-])-([>-])(\\s|$)");

    private static TestNetns netns;
    private static NetNamespace target;
    private static final NamespaceExecutor EXECUTOR = new NamespaceExecutor(new Libc(), Duration.ofSeconds(30));
    private static final NetlinkSocketSource SOURCE = new NetlinkSocketSource(new Libc());

    @BeforeAll
    static void makeSockets() throws Exception {
        netns = TestNetns.create();
        try {
            target = new NetNamespace(netns.inode(), netns.path(), false, List.of());
            netns.socklab("closewait", "127.0.0.1", 7103, 2, 1000);
            netns.socklab("finwait1", "127.0.0.1", 7106, 1);
            netns.socklab("timewait", "127.0.0.1", 7107, 1);
            netns.socklab("bound", "127.0.0.1", 7110);
            netns.socklab("established", "127.0.0.1", 7114, 1);
            netns.socklab("-6", "listen", "::", 7111);
            netns.socklab("listen", "::", 7112);
            netns.socklab("listen", "::1", 7113); // the kernel makes every socket bound to a v6 address v6-only
            Thread.sleep(1500); // so the idle times are well above what the two looks differ by
        } catch (Exception | Error e) {
            netns.close();
            throw e;
        }
    }

    @AfterAll
    static void removeEverything() {
        if (netns != null) {
            netns.close();
        }
    }

    @Test
    void tcpInfoAndMemoryAgreeWithSs() throws Exception {
        // ss reads a moment after our dump and a second dump follows it: a counter that rises meanwhile (drops) must
        // lie between the two dumps, an idle time may have grown by at most the time the three reads took.
        long started = System.nanoTime();
        List<TcpSocket> dumped = dump(TcpState.all());
        Map<String, String> ss = ssByCookie();
        Map<Long, TcpSocket> after = new HashMap<>();
        dump(TcpState.all()).forEach(s -> after.put(s.cookie(), s));
        long readMillis = (System.nanoTime() - started) / 1_000_000;

        List<TcpSocket> full = dumped.stream()
                .filter(s -> s.timer() != TimerKind.TIME_WAIT
                        && s.state() != TcpState.CLOSE
                        && s.localPort() != 7114
                        && s.remotePort() != 7114)
                .toList();
        assertThat(full).hasSizeGreaterThanOrEqualTo(8);
        for (TcpSocket s : full) {
            String line = ss.get(Long.toHexString(s.cookie()));
            assertThat(line).as("ss line of %s", s).isNotNull();
            assertThat(s.tcpInfo()).as("tcp_info of %s", s).isNotNull();
            assertThat(s.tcpInfo().state()).isEqualTo(s.state().code());
            Matcher m = SKMEM.matcher(line);
            assertThat(m.find()).as(line).isTrue();
            assertThat(List.of(
                            s.memory().receiveAllocated(),
                            s.memory().receiveBuffer(),
                            s.memory().sendAllocated(),
                            s.memory().sendBuffer(),
                            s.memory().sendQueued(),
                            s.memory().optionMemory(),
                            s.memory().backlog()))
                    .as("skmem of %s: %s", s, line)
                    .containsExactly(num(m, 1), num(m, 2), num(m, 3), num(m, 4), num(m, 6), num(m, 7), num(m, 8));
            TcpSocket later = after.get(s.cookie());
            assertThat(later).as("%s in the second dump", s).isNotNull();
            assertThat(num(m, 9))
                    .as("drops of %s: %s", s, line)
                    .isBetween(s.memory().drops(), later.memory().drops());
            Matcher arrow = SHUTDOWN_ARROW.matcher(line);
            assertThat(arrow.find()).as(line).isTrue();
            int shutdown =
                    (arrow.group(1).equals("-") ? 1 : 0) | (arrow.group(2).equals("-") ? 2 : 0);
            assertThat(s.shutdown()).as("shutdown of %s: %s", s, line).isEqualTo(shutdown);
            boolean v6Only = s.localPort() == 7111 || s.localPort() == 7113;
            assertThat(s.v6Only()).as("v6only of %s", s).isEqualTo(v6Only);
            assertThat(line.contains("v6only:1")).isEqualTo(v6Only);
            if (s.state() != TcpState.LISTEN) {
                for (String field : List.of("lastsnd", "lastrcv", "lastack")) {
                    long ours = switch (field) {
                        case "lastsnd" -> s.tcpInfo().lastDataSentMillis();
                        case "lastrcv" -> s.tcpInfo().lastDataRecvMillis();
                        default -> s.tcpInfo().lastAckRecvMillis();
                    };
                    assertThat(ours)
                            .as("%s of %s: %s", field, s, line)
                            .isCloseTo(field(line, field), org.assertj.core.data.Offset.offset(1000L + readMillis));
                }
                assertThat(s.tcpInfo().rtoMicros() / 1000).as("rto of %s", s).isEqualTo(field(line, "rto"));
                if (line.contains("snd_wnd:")) {
                    assertThat(s.tcpInfo().sendWindow()).isEqualTo(field(line, "snd_wnd"));
                }
            }
        }
        assertThat(full)
                .filteredOn(s -> s.state() == TcpState.CLOSE_WAIT)
                .hasSize(2)
                .allSatisfy(s -> {
                    assertThat(s.kernelIdleMillis()).isGreaterThanOrEqualTo(1000);
                    assertThat(s.memory().receiveAllocated()).isPositive(); // the 1000 unread bytes
                    assertThat(s.shutdown()).isEqualTo(1); // the peer's FIN: nothing more to receive
                });
        assertThat(full)
                .filteredOn(s -> s.state() == TcpState.FIN_WAIT1)
                .singleElement()
                .satisfies(s -> {
                    assertThat(s.timer()).isEqualTo(TimerKind.PERSIST);
                    assertThat(s.tcpInfo().sendWindow()).isZero(); // the peer stopped reading
                    assertThat(s.tcpInfo().backoff()).isPositive();
                    assertThat(s.shutdown()).isEqualTo(3);
                });
        // A quiet connection is listed without the details, which would cost memory on every busy node.
        assertThat(dumped)
                .filteredOn(s -> s.state() == TcpState.ESTABLISHED && (s.localPort() == 7114 || s.remotePort() == 7114))
                .hasSize(2)
                .allSatisfy(s -> {
                    assertThat(s.tcpInfo()).isNull();
                    assertThat(s.memory()).isNull();
                    assertThat(s.shutdown()).isZero();
                });
        assertThat(full)
                .filteredOn(s -> s.state() == TcpState.LISTEN)
                .allSatisfy(s -> assertThat(s.kernelIdleMillis()).isEqualTo(-1));
        assertThat(dumped)
                .filteredOn(s -> s.timer() == TimerKind.TIME_WAIT)
                .isNotEmpty()
                .allSatisfy(s -> assertThat(s.tcpInfo()).isNull());
    }

    @Test
    void boundOnlySocketIsListedAndHoldsItsPort() throws Exception {
        List<TcpSocket> dumped = dump(TcpState.all());

        assertThat(dumped)
                .filteredOn(s -> s.localPort() == 7110)
                .singleElement()
                .satisfies(s -> {
                    assertThat(s.state()).isEqualTo(TcpState.CLOSE);
                    assertThat(s.isBoundOnly()).isTrue();
                    assertThat(s.inode()).isPositive();
                    assertThat(s.tcpInfo()).isNull();
                    assertThat(s.memory()).isNotNull();
                    assertThat(s.local().getHostAddress()).isEqualTo("127.0.0.1");
                });
        // What the dump says is what bind() meets: the port is taken although no listener is on it
        // (for a new socket without SO_REUSEADDR; the bound one has it, so one with it may share).
        assertThat(netns.socklabRun("-n", "trylisten", "127.0.0.1", 7110)).isEqualTo("listen EADDRINUSE at bind");
        assertThat(netns.socklabRun("trylisten", "127.0.0.1", 7110)).isEqualTo("listen ok");
        assertThat(netns.ss("sport", "=", ":7110")).isEmpty(); // ss 6.1 does not ask for bound-only sockets
        assertThat(dump(EnumSet.of(TcpState.LISTEN, TcpState.CLOSE_WAIT))).noneMatch(s -> s.localPort() == 7110);
        assertThat(dump(EnumSet.of(TcpState.CLOSE)))
                .extracting(TcpSocket::localPort)
                .containsExactly(7110);
    }

    private static long num(Matcher m, int group) {
        return Long.parseLong(m.group(group));
    }

    /** "rto:204" → 204, "lastsnd:1508" → 1508; a fractional value is cut to its integer part. */
    private static long field(String line, String name) {
        Matcher m = Pattern.compile("\\b" + name + ":(\\d+)").matcher(line);
        if (!m.find()) {
            throw new AssertionError("ss printed no " + name + ": " + line);
        }
        return Long.parseLong(m.group(1));
    }

    /** {@code ss -tanHieom}: each socket's first line and its tab-indented details, joined, by cookie. */
    private static Map<String, String> ssByCookie() throws Exception {
        List<String> joined = new ArrayList<>();
        for (String line : netns.exec("ss", "-tanHieom").split("\n")) {
            if (line.startsWith("\t") && !joined.isEmpty()) {
                joined.set(joined.size() - 1, joined.getLast() + " " + line.trim());
            } else if (!line.isBlank()) {
                joined.add(line);
            }
        }
        Map<String, String> byCookie = new HashMap<>();
        for (String line : joined) {
            Matcher m = SK.matcher(line);
            if (m.find()) {
                byCookie.put(m.group(1), line);
            }
        }
        return byCookie;
    }

    private static List<TcpSocket> dump(Set<TcpState> states) throws Exception {
        return EXECUTOR.call(target, () -> SOURCE.sockets(states));
    }
}
