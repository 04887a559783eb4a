package io.tcphealth.agent.socket.proc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tcphealth.agent.proc.ProcFs;
import io.tcphealth.agent.proc.ProcParseException;
import io.tcphealth.agent.socket.TcpSocket;
import io.tcphealth.agent.socket.TcpState;
import io.tcphealth.agent.socket.TimerKind;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ProcNetTcpParserTest {
    private static final ProcNetTcpParser X86 = new ProcNetTcpParser(ByteOrder.LITTLE_ENDIAN);
    private static final String GOOD =
            "   0: 0100007F:1F90 0100007F:D431 08 00000000:00010000 00:00000000 00000000  1000        0 40002 1 0000000000000000 20 4 30 10 -1";

    @TempDir
    Path tmp;

    private List<TcpSocket> fixtureSockets() throws Exception {
        Path net = tmp.resolve("x86/net");
        Files.createDirectories(net);
        Path fixtures =
                Path.of(ProcNetTcpParserTest.class.getResource("/proc/net").toURI());
        Files.copy(fixtures.resolve("tcp-x86.txt"), net.resolve("tcp"));
        Files.copy(fixtures.resolve("tcp6-x86.txt"), net.resolve("tcp6"));
        return ProcNetTcpSource.of(new ProcFs(tmp), "x86", X86).sockets(TcpState.all());
    }

    private static InetAddress ip(String s) throws Exception {
        return InetAddress.getByName(s);
    }

    @Test
    void decodesIpv4LinesWithKnownValues() throws Exception {
        List<TcpSocket> all = fixtureSockets();
        assertThat(all).hasSize(10);
        assertThat(all.get(0))
                .isEqualTo(new TcpSocket(
                        TcpState.LISTEN,
                        ip("127.0.0.1"),
                        8080,
                        ip("0.0.0.0"),
                        0,
                        5,
                        0,
                        TimerKind.NONE,
                        0,
                        0,
                        1000,
                        40001,
                        0));
        assertThat(all.get(1))
                .isEqualTo(new TcpSocket(
                        TcpState.CLOSE_WAIT,
                        ip("127.0.0.1"),
                        8080,
                        ip("127.0.0.1"),
                        54321,
                        65536,
                        0,
                        TimerKind.NONE,
                        0,
                        0,
                        1000,
                        40002,
                        0));
        TcpSocket finWait1 = all.get(2);
        assertThat(finWait1)
                .isEqualTo(new TcpSocket(
                        TcpState.FIN_WAIT1,
                        ip("127.0.0.1"),
                        54322,
                        ip("127.0.0.1"),
                        8080,
                        0,
                        4096,
                        TimerKind.PERSIST,
                        5000,
                        3,
                        0,
                        0,
                        0));
        assertThat(finWait1.isOrphan()).isTrue();
        assertThat(all.get(3))
                .isEqualTo(new TcpSocket(
                        TcpState.ESTABLISHED,
                        ip("10.0.0.1"),
                        80,
                        ip("192.168.1.2"),
                        50000,
                        0,
                        0,
                        TimerKind.KEEPALIVE,
                        30_000,
                        2,
                        0,
                        40004,
                        0));
        TcpSocket timeWait = all.get(4);
        assertThat(timeWait.state()).isEqualTo(TcpState.TIME_WAIT);
        assertThat(timeWait.timer()).isEqualTo(TimerKind.TIME_WAIT);
        assertThat(timeWait.timerExpiresMillis()).isEqualTo(60_000);
        assertThat(timeWait.isOrphan()).isFalse();
        TcpSocket retransmitting = all.get(5);
        assertThat(retransmitting.timer()).isEqualTo(TimerKind.RETRANSMIT);
        assertThat(retransmitting.timerExpiresMillis()).isEqualTo(100);
        assertThat(retransmitting.retransmits()).isEqualTo(2);
        assertThat(retransmitting.sendQueue()).isEqualTo(100);
        assertThat(retransmitting.uid())
                .as("uid printed unsigned, kept as the same 32 bits")
                .isEqualTo(-2);
    }

    @Test
    void decodesIpv6LinesWordByWord() throws Exception {
        List<TcpSocket> v6 = fixtureSockets().subList(6, 10);
        assertThat(v6).allMatch(TcpSocket::isIpv6);
        assertThat(v6.get(0).local().isAnyLocalAddress()).isTrue();
        assertThat(v6.get(0).localEndpoint()).isEqualTo("*:8080");
        assertThat(v6.get(1).local()).isEqualTo(ip("::1"));
        assertThat(v6.get(1).remotePort()).isEqualTo(0xC351);
        assertThat(v6.get(1).recvQueue()).isEqualTo(7);
        assertThat(v6.get(1).localEndpoint()).isEqualTo("[0:0:0:0:0:0:0:1]:8081");
        InetAddress mapped = v6.get(2).local();
        assertThat(mapped).as("IPv4-mapped stays IPv6").isInstanceOf(Inet6Address.class);
        assertThat(mapped.getAddress()).containsExactly(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 127, 0, 0, 1);
        assertThat(v6.get(3).local()).isEqualTo(ip("2001:db8::1"));
        assertThat(v6.get(3).localPort()).isEqualTo(22);
        assertThat(v6.get(3).remote()).isEqualTo(ip("fe80::1"));
        assertThat(v6.get(3).inode()).isEqualTo(50004);
    }

    @Test
    void bigEndianMachinesPrintAddressesInNetworkOrder() throws Exception {
        TcpSocket s = new ProcNetTcpParser(ByteOrder.BIG_ENDIAN)
                .parseLine("tcp", 2, GOOD.replace("0100007F:1F90 0100007F", "7F000001:1F90 C0A80102"));
        assertThat(s.local()).isEqualTo(ip("127.0.0.1"));
        assertThat(s.remote()).isEqualTo(ip("192.168.1.2"));
    }

    @Test
    void stateFilterIsAppliedAfterParsing() throws Exception {
        Path net = tmp.resolve("f/net");
        Files.createDirectories(net);
        Path fixtures =
                Path.of(ProcNetTcpParserTest.class.getResource("/proc/net").toURI());
        Files.copy(fixtures.resolve("tcp-x86.txt"), net.resolve("tcp"));
        // No tcp6: IPv6 disabled on this "host".
        List<TcpSocket> stuck = ProcNetTcpSource.of(new ProcFs(tmp), "f", X86)
                .sockets(EnumSet.of(TcpState.CLOSE_WAIT, TcpState.FIN_WAIT1));
        assertThat(stuck).extracting(TcpSocket::state).containsExactly(TcpState.CLOSE_WAIT, TcpState.FIN_WAIT1);
    }

    @Test
    void missingTcpFileIsAnError() {
        assertThatThrownBy(() ->
                        ProcNetTcpSource.of(new ProcFs(tmp), "nothing", X86).sockets(TcpState.all()))
                .isInstanceOf(java.nio.file.NoSuchFileException.class);
    }

    @Test
    void sourceNamesAndPaths() {
        assertThat(ProcNetTcpSource.forCallingThread(ProcFs.host()).name()).isEqualTo("proc");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "   0: 0100007F:1F90 0100007F:D431 08 00000000:00010000",
                "   0: 0100007F1F90 0100007F:D431 08 00000000:00010000 00:00000000 00000000  1000        0 40002",
                "   0: 100007F:1F90 0100007F:D431 08 00000000:00010000 00:00000000 00000000  1000        0 40002",
                "   0: 0100007G:1F90 0100007F:D431 08 00000000:00010000 00:00000000 00000000  1000        0 40002",
                "   0: 0100007F:1F900 0100007F:D431 08 00000000:00010000 00:00000000 00000000  1000        0 40002",
                "   0: 0100007F:1F90 0100007F:D431 00 00000000:00010000 00:00000000 00000000  1000        0 40002",
                "   0: 0100007F:1F90 0100007F:D431 0D 00000000:00010000 00:00000000 00000000  1000        0 40002",
                "   0: 0100007F:1F90 0100007F:D431 08 0000000000010000 00:00000000 00000000  1000        0 40002",
                "   0: 0100007F:1F90 0100007F:D431 08 00000000:100010000 00:00000000 00000000  1000        0 40002",
                "   0: 0100007F:1F90 0100007F:D431 08 00000000:00010000 00:00000000 00000000  -1        0 40002",
                "   0: 0100007F:1F90 0100007F:D431 08 00000000:00010000 00:00000000 00000000  1000        0 -40002",
                "   0: 0100007F:1F90 0100007F:D431 08 00000000:00010000 00:00000000 00000000  1000        0 99999999999999999999",
                "   0: 0100007F:1F90 0100007F:D431 08 00000000:00010000 00:FFFFFFFFFFFFFFFF 00000000  1000        0 40002",
                "   0: 0100007F:1F90 0100007F:D431 08 00000000:00010000 00:00000000 00000000  4294967296        0 40002",
                "   x: 0100007F:1F90 0100007F:D431 08 00000000:00010000 00:00000000 00000000  1000        0 40002",
                "   0: 0100007F:1F90 00000000000000000000000001000000:D431 08 00000000:00010000 00:00000000 00000000  1000  0 1",
                "\u0000\u0001\u0002 garbage \u00ff\u00fe binary 1 2 3 4 5 6 7 8 9 10",
            })
    void malformedLinesRaiseATypedErrorNamingFileLineAndText(String line) {
        assertThatThrownBy(() -> X86.parseLine("/proc/thread-self/net/tcp", 7, line))
                .isInstanceOf(ProcParseException.class)
                .hasMessageContaining("/proc/thread-self/net/tcp line 7: ")
                .satisfies(e -> assertThat(((ProcParseException) e).rawText()).isEqualTo(line));
    }

    @Test
    void malformedLineInAFileIsSkippedAndCountedByTheSourceAndStopsAStrictParse() throws Exception {
        Path net = tmp.resolve("bad/net");
        Files.createDirectories(net);
        String header =
                "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n";
        Files.writeString(net.resolve("tcp"), header + GOOD + "\n" + GOOD.substring(0, 40) + "\n");
        ProcNetTcpSource source = ProcNetTcpSource.of(new ProcFs(tmp), "bad", X86);
        assertThat(source.sockets(TcpState.all())).hasSize(1);
        assertThat(source.skippedLines()).isEqualTo(1);
        assertThatThrownBy(() ->
                        X86.parse(io.tcphealth.agent.proc.ProcLines.open(net.resolve("tcp"), 4096), TcpState.all()))
                .isInstanceOf(ProcParseException.class)
                .hasMessageContaining("line 3");
    }

    @Test
    void hugeLineIsRejectedWithoutReadingItWhole() throws Exception {
        Path net = tmp.resolve("huge/net");
        Files.createDirectories(net);
        Files.writeString(
                net.resolve("tcp"),
                "  sl  local_address rem_address   st\n" + GOOD + " " + "9".repeat(5_000_000) + "\n");
        assertThatThrownBy(
                        () -> ProcNetTcpSource.of(new ProcFs(tmp), "huge", X86).sockets(TcpState.all()))
                .isInstanceOf(ProcParseException.class)
                .hasMessageContaining("line 2: line longer than 1024 characters");
    }

    @Test
    void timerTicksAreHundredthsOfASecondAndSaturate() {
        assertThat(ProcNetTcpParser.ticksToMillis(1)).isEqualTo(10);
        assertThat(ProcNetTcpParser.ticksToMillis(Long.MAX_VALUE)).isEqualTo(Long.MAX_VALUE);
    }
}
