package io.tcphealth.agent.socket.netlink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tcphealth.agent.socket.TcpSocket;
import io.tcphealth.agent.socket.TcpState;
import io.tcphealth.agent.socket.TimerKind;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** inet_diag requests and replies against byte layouts written out by hand. */
class InetDiagCodecTest {
    private static final int ALL = TcpState.filterOf(TcpState.all());

    @Test
    void dumpRequestHasTheKernelsLayout() {
        MemorySegment seg = MemorySegment.ofArray(new byte[InetDiagRequest.SIZE]);
        int length = InetDiagRequest.dump(InetDiagRequest.AF_INET6, TcpState.filterOf(Set.of(TcpState.CLOSE_WAIT)))
                .encode(seg, 0x01020304);

        ByteBuffer b = ByteBuffer.wrap(seg.toArray(java.lang.foreign.ValueLayout.JAVA_BYTE))
                .order(ByteOrder.nativeOrder());
        assertThat(length).isEqualTo(72);
        assertThat(b.getInt(0)).isEqualTo(72);
        assertThat(b.getShort(4)).isEqualTo((short) 20); // SOCK_DIAG_BY_FAMILY
        assertThat(b.getShort(6)).isEqualTo((short) 0x301); // NLM_F_REQUEST | NLM_F_DUMP
        assertThat(b.getInt(8)).isEqualTo(0x01020304);
        assertThat(b.getInt(12)).isZero();
        assertThat(b.get(16)).isEqualTo((byte) 10); // AF_INET6
        assertThat(b.get(17)).isEqualTo((byte) 6); // IPPROTO_TCP
        assertThat(b.get(18)).isEqualTo((byte) (2 | 64)); // INET_DIAG_INFO and INET_DIAG_SKMEMINFO wanted
        assertThat(b.getInt(20)).isEqualTo(1 << 8); // CLOSE_WAIT is state 8
        for (int i = 24; i < 72; i++) {
            assertThat(b.get(i)).as("socket id byte %d", i).isZero();
        }
    }

    @Test
    void socketIdOfOneSocketUsesNetworkOrderForPortsAndAddressesAndSplitsTheCookie() throws Exception {
        TcpSocket s = new TcpSocket(
                TcpState.CLOSE_WAIT,
                InetAddress.getByName("10.1.2.3"),
                0x1f90,
                InetAddress.getByName("192.168.0.9"),
                0xabcd,
                0,
                0,
                TimerKind.NONE,
                0,
                0,
                0,
                77,
                0x0000_0007_8000_0001L);
        MemorySegment seg = MemorySegment.ofArray(new byte[InetDiagRequest.SIZE]);
        new InetDiagRequest(InetDiagRequest.SOCK_DESTROY, 0x5, InetDiagRequest.AF_INET, 6, 0, -1, SocketId.of(s))
                .encode(seg, 1);

        byte[] raw = seg.toArray(java.lang.foreign.ValueLayout.JAVA_BYTE);
        ByteBuffer host = ByteBuffer.wrap(raw).order(ByteOrder.nativeOrder());
        assertThat(host.getShort(4)).isEqualTo((short) 21);
        assertThat(raw[24]).isEqualTo((byte) 0x1f); // source port, high byte first
        assertThat(raw[25]).isEqualTo((byte) 0x90);
        assertThat(raw[26]).isEqualTo((byte) 0xab);
        assertThat(raw[27]).isEqualTo((byte) 0xcd);
        assertThat(new byte[] {raw[28], raw[29], raw[30], raw[31]}).containsExactly(10, 1, 2, 3);
        assertThat(new byte[] {raw[44], raw[45], raw[46], raw[47]}).containsExactly(192 - 256, 168 - 256, 0, 9);
        assertThat(host.getInt(64)).isEqualTo(0x8000_0001); // cookie[0]: low half
        assertThat(host.getInt(68)).isEqualTo(7); // cookie[1]: high half
    }

    @Test
    void decodesAnIpv4SocketWithUnsignedCountersAndSkipsAttributes() throws Exception {
        HandMadeDatagram d = new HandMadeDatagram()
                .socket(
                        9,
                        8,
                        InetAddress.getByName("127.0.0.1"),
                        9080,
                        InetAddress.getByName("127.0.0.2"),
                        40000,
                        2,
                        3,
                        4500,
                        0xFFFF_FFF0,
                        17,
                        1000,
                        0x8000_0005,
                        0x1234_5678_9abc_def0L,
                        13)
                .done(9, 0);
        List<TcpSocket> out = decodeAll(d.segment(), d.length(), 9, ALL);

        assertThat(out).singleElement().satisfies(s -> {
            assertThat(s.state()).isEqualTo(TcpState.CLOSE_WAIT);
            assertThat(s.local()).isEqualTo(InetAddress.getByName("127.0.0.1"));
            assertThat(s.localPort()).isEqualTo(9080);
            assertThat(s.remote()).isEqualTo(InetAddress.getByName("127.0.0.2"));
            assertThat(s.remotePort()).isEqualTo(40000);
            assertThat(s.timer()).isEqualTo(TimerKind.KEEPALIVE);
            assertThat(s.retransmits()).isEqualTo(3);
            assertThat(s.timerExpiresMillis()).isEqualTo(4500);
            assertThat(s.recvQueue()).isEqualTo(0xFFFF_FFF0L);
            assertThat(s.sendQueue()).isEqualTo(17);
            assertThat(s.uid()).isEqualTo(1000);
            assertThat(s.inode()).isEqualTo(0x8000_0005L);
            assertThat(s.cookie()).isEqualTo(0x1234_5678_9abc_def0L);
        });
    }

    @Test
    void ipv6AddressesStayIpv6EvenWhenTheyMapIpv4() throws Exception {
        byte[] mapped = new byte[16];
        mapped[10] = (byte) 0xff;
        mapped[11] = (byte) 0xff;
        mapped[12] = 127;
        mapped[15] = 1;
        HandMadeDatagram d = new HandMadeDatagram()
                .socket(
                        1,
                        10,
                        InetAddress.getByName("::1"),
                        443,
                        InetAddress.getByName("::"),
                        0,
                        0,
                        0,
                        0,
                        0,
                        128,
                        0,
                        5,
                        1,
                        0)
                .socket(
                        1,
                        1,
                        Inet6Address.getByAddress(null, mapped, -1),
                        443,
                        InetAddress.getByName("fe80::1"),
                        5555,
                        0,
                        0,
                        0,
                        0,
                        0,
                        0,
                        6,
                        2,
                        0)
                .done(1, 0);
        List<TcpSocket> out = decodeAll(d.segment(), d.length(), 1, ALL);

        assertThat(out).hasSize(2);
        assertThat(out.get(0).state()).isEqualTo(TcpState.LISTEN);
        assertThat(out.get(0).local()).isEqualTo(InetAddress.getByName("::1"));
        assertThat(out.get(0).remote()).isInstanceOf(Inet6Address.class);
        assertThat(out.get(0).sendQueue()).isEqualTo(128);
        assertThat(out.get(1).local()).isInstanceOf(Inet6Address.class);
        assertThat(out.get(1).local().getAddress()).isEqualTo(mapped);
        assertThat(out.get(1).remote()).isEqualTo(InetAddress.getByName("fe80::1"));
        assertThat(out.get(1).isIpv6()).isTrue();
    }

    @Test
    void aDumpSpansDatagramsUntilDone() throws Exception {
        List<TcpSocket> out = new ArrayList<>();
        NetlinkReplies reply = new NetlinkReplies(5, "test dump", new InetDiagDecoder(ALL, out, new AddressCache()));
        InetAddress lo = InetAddress.getByName("127.0.0.1");
        HandMadeDatagram first = new HandMadeDatagram()
                .socket(5, 1, lo, 1, lo, 2, 0, 0, 0, 0, 0, 0, 11, 1, 20)
                .socket(5, 1, lo, 2, lo, 1, 0, 0, 0, 0, 0, 0, 12, 2, 0);
        HandMadeDatagram second = new HandMadeDatagram()
                .socket(5, 10, lo, 1, lo, 0, 0, 0, 0, 0, 0, 0, 13, 3, 6)
                .done(5, 0);

        assertThat(reply.accept(first.segment(), first.length())).isFalse();
        assertThat(reply.accept(second.segment(), second.length())).isTrue();
        assertThat(out).extracting(TcpSocket::inode).containsExactly(11L, 12L, 13L);
        assertThat(out.get(0).local()).isSameAs(out.get(2).local()); // one address object per address
    }

    @Test
    void keepsOnlyTheStatesAskedFor() throws Exception {
        InetAddress lo = InetAddress.getByName("127.0.0.1");
        HandMadeDatagram d = new HandMadeDatagram()
                .socket(2, 8, lo, 1, lo, 2, 0, 0, 0, 0, 0, 0, 1, 1, 0)
                .socket(2, 1, lo, 1, lo, 3, 0, 0, 0, 0, 0, 0, 2, 2, 0)
                .socket(2, 13, lo, 1, lo, 4, 0, 0, 0, 0, 0, 0, 3, 3, 0) // a state number we do not know
                .done(2, 0);
        List<TcpSocket> out = new ArrayList<>();
        InetDiagDecoder decoder = new InetDiagDecoder(-1 >>> 1, out, new AddressCache());
        new NetlinkReplies(2, "test dump", decoder).accept(d.segment(), d.length());
        assertThat(out).extracting(TcpSocket::state).containsExactly(TcpState.CLOSE_WAIT, TcpState.ESTABLISHED);
        assertThat(decoder.skipped()).isEqualTo(1);

        out.clear();
        new NetlinkReplies(
                        2,
                        "test dump",
                        new InetDiagDecoder(TcpState.filterOf(Set.of(TcpState.CLOSE_WAIT)), out, new AddressCache()))
                .accept(d.segment(), d.length());
        assertThat(out).extracting(TcpSocket::state).containsExactly(TcpState.CLOSE_WAIT);
    }

    @Test
    void askingForSynRecvAlsoAsksForRequestSockets() {
        int mask = NetlinkSocketSource.kernelFilter(EnumSet.of(TcpState.SYN_RECV));
        assertThat(mask).isEqualTo((1 << 3) | (1 << 12));
        assertThat(NetlinkSocketSource.kernelFilter(EnumSet.of(TcpState.LISTEN)))
                .isEqualTo(1 << 10);
    }

    @Test
    void aMessageLongerThanWhatArrivedIsRejected() throws Exception {
        HandMadeDatagram d = new HandMadeDatagram()
                .socket(
                        3,
                        1,
                        InetAddress.getByName("127.0.0.1"),
                        1,
                        InetAddress.getByName("127.0.0.1"),
                        2,
                        0,
                        0,
                        0,
                        0,
                        0,
                        0,
                        1,
                        1,
                        0);
        // The datagram ends 10 bytes into the message its header announced.
        assertThatThrownBy(() -> decodeAll(d.segment(), d.length() - 10, 3, ALL))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("claims 88 bytes, 78 remain");
    }

    @Test
    void aSocketMessageTooShortForInetDiagMsgIsRejected() {
        HandMadeDatagram d = new HandMadeDatagram().header(16 + 40, 20, 2, 3).bytes(40);
        assertThatThrownBy(() -> decodeAll(d.segment(), d.length(), 3, ALL))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("Truncated inet_diag message: 40 bytes");
    }

    @Test
    void trailingBytesShorterThanAHeaderAreRejected() {
        HandMadeDatagram d = new HandMadeDatagram().bytes(12);
        assertThatThrownBy(() -> decodeAll(d.segment(), d.length(), 3, ALL))
                .hasMessageContaining("too short for a message header");
    }

    @Test
    void aHeaderClaimingLessThanItselfIsRejected() {
        HandMadeDatagram d = new HandMadeDatagram().header(8, 20, 2, 3).bytes(16);
        assertThatThrownBy(() -> decodeAll(d.segment(), d.length(), 3, ALL)).hasMessageContaining("claims 8 bytes");
    }

    @Test
    void anErrorReplyBecomesAnErrnoException() {
        HandMadeDatagram d = new HandMadeDatagram().error(4, -13);
        assertThatThrownBy(() -> decodeAll(d.segment(), d.length(), 4, ALL))
                .isInstanceOfSatisfying(
                        io.tcphealth.agent.nativeio.ErrnoException.class,
                        e -> assertThat(e.errno()).isEqualTo(13))
                .hasMessage("test dump: EACCES (Permission denied)");
    }

    @Test
    void aFailedDumpReportsItsStatusInDone() {
        HandMadeDatagram d = new HandMadeDatagram().done(4, -95);
        assertThatThrownBy(() -> decodeAll(d.segment(), d.length(), 4, ALL))
                .hasMessage("test dump: EOPNOTSUPP (Operation not supported)");
    }

    @Test
    void anAcknowledgementCompletesTheReply() throws Exception {
        HandMadeDatagram d = new HandMadeDatagram().error(4, 0);
        NetlinkReplies reply = new NetlinkReplies(4, "test destroy", (type, buf, off, len) -> {
            throw new AssertionError("no payload expected");
        });
        assertThat(reply.accept(d.segment(), d.length())).isTrue();
    }

    @Test
    void aReplyToAnotherRequestIsRejected() throws Exception {
        HandMadeDatagram d = new HandMadeDatagram().done(8, 0);
        assertThatThrownBy(() -> decodeAll(d.segment(), d.length(), 7, ALL))
                .hasMessageContaining("sequence number 8, expected 7");
    }

    @Test
    void readsTcpInfoMemoryShutdownAndKeepsWhatAShortTcpInfoLacks() throws Exception {
        // A tcp_info as a 4.x kernel sends it: 104 bytes, up to tcpi_total_retrans, no windows.
        ByteBuffer info = ByteBuffer.allocate(104).order(ByteOrder.nativeOrder());
        info.put(0, (byte) 8).put(2, (byte) 1).put(3, (byte) 2).put(4, (byte) 3);
        info.putInt(8, 204_000).putInt(24, 4).putInt(32, 1).putInt(36, 2);
        info.putInt(44, 60_000)
                .putInt(52, 42_000)
                .putInt(56, 0xFFFF_FFFE)
                .putInt(68, 90)
                .putInt(100, 7);
        ByteBuffer mem = ByteBuffer.allocate(32).order(ByteOrder.nativeOrder()); // no drop counter
        for (int i = 0; i < 8; i++) {
            mem.putInt(i * 4, 100 + i);
        }
        java.io.ByteArrayOutputStream attrs = new java.io.ByteArrayOutputStream();
        attrs.write(HandMadeDatagram.attribute(8, new byte[] {1}));
        attrs.write(HandMadeDatagram.attribute(2, info.array()));
        attrs.write(HandMadeDatagram.attribute(0x3fff, new byte[] {9, 9, 9}));
        attrs.write(HandMadeDatagram.attribute(7 | 0x8000, mem.array())); // a flag bit on the type
        attrs.write(HandMadeDatagram.attribute(
                21,
                ByteBuffer.allocate(8)
                        .order(ByteOrder.nativeOrder())
                        .putLong(0, 0x1_0000_2345L)
                        .array()));
        HandMadeDatagram d = new HandMadeDatagram()
                .socketWithAttributes(3, attrs.toByteArray())
                .done(3, 0);

        assertThat(decodeAll(d.segment(), d.length(), 3, ALL)).singleElement().satisfies(s -> {
            assertThat(s.boundInterface()).isEqualTo(3);
            assertThat(s.v6Only()).isFalse();
            assertThat(s.shutdown()).isEqualTo(1);
            assertThat(s.cgroupId()).as("INET_DIAG_CGROUP_ID, a u64").isEqualTo(0x1_0000_2345L);
            assertThat(s.tcpInfo())
                    .isEqualTo(new io.tcphealth.agent.socket.TcpInfo(
                            8, 1, 2, 3, 204_000, 4, 1, 2, 60_000, 42_000, 0xFFFF_FFFEL, 90, 7, -1, -1));
            assertThat(s.kernelIdleMillis()).isEqualTo(42_000);
            assertThat(s.memory())
                    .isEqualTo(new io.tcphealth.agent.socket.SocketMemory(100, 101, 102, 103, 104, 105, 106, 107, -1));
        });
    }

    @Test
    void aQuietConnectionKeepsOnlyItsPeersSilenceAndOnlyWithoutKeepalive() throws Exception {
        ByteBuffer info = ByteBuffer.allocate(104).order(ByteOrder.nativeOrder());
        info.put(0, (byte) 1);
        info.putInt(44, 90_000).putInt(52, 70_000).putInt(56, 65_000);
        byte[] attrs = HandMadeDatagram.attribute(2, info.array());
        HandMadeDatagram d = new HandMadeDatagram()
                .socketWithAttributes(5, 1, 0, 0, attrs) // ESTABLISHED, no timer, empty queues
                .socketWithAttributes(5, 1, 2, 0, attrs) // the same with a keepalive timer
                .socketWithAttributes(5, 1, 0, 3, attrs) // unread data: a full tcp_info
                .done(5, 0);

        List<TcpSocket> out = decodeAll(d.segment(), d.length(), 5, ALL);
        assertThat(out).hasSize(3);
        assertThat(out.get(0).tcpInfo()).isNull();
        assertThat(out.get(0).quietSilenceMillis()).isEqualTo(65_000);
        assertThat(out.get(0).peerSilentMillis()).isEqualTo(65_000);
        assertThat(out.get(0).isIdleWithoutKeepalive(65_000)).isTrue();
        assertThat(out.get(0).isIdleWithoutKeepalive(65_001)).isFalse();
        assertThat(out.get(1).tcpInfo()).isNull();
        assertThat(out.get(1).peerSilentMillis()).isEqualTo(-1);
        assertThat(out.get(1).isIdleWithoutKeepalive(1)).isFalse();
        assertThat(out.get(2).tcpInfo()).isNotNull();
        assertThat(out.get(2).quietSilenceMillis()).isEqualTo(-1);
        assertThat(out.get(2).peerSilentMillis()).isEqualTo(65_000);
        assertThat(out.get(2).isIdleWithoutKeepalive(1))
                .as("data waits to be read")
                .isFalse();
    }

    @Test
    void aBrokenAttributeCostsOnlyTheDetails() throws Exception {
        byte[] broken = HandMadeDatagram.attribute(2, new byte[8]);
        broken[0] = (byte) 200; // claims more than the message holds
        HandMadeDatagram d =
                new HandMadeDatagram().socketWithAttributes(4, broken).done(4, 0);
        List<TcpSocket> out = new ArrayList<>();
        InetDiagDecoder decoder = new InetDiagDecoder(ALL, out, new AddressCache());
        new NetlinkReplies(4, "test dump", decoder).accept(d.segment(), d.length());

        assertThat(out).singleElement().satisfies(s -> {
            assertThat(s.inode()).isEqualTo(77);
            assertThat(s.tcpInfo()).isNull();
        });
        assertThat(decoder.malformedAttributes()).isEqualTo(1);
    }

    @Test
    void aDatagramLargerThanTheBufferIsRejected() {
        HandMadeDatagram d = new HandMadeDatagram().done(1, 0);
        MemorySegment small = d.segment().asSlice(0, 16);
        assertThatThrownBy(() -> new NetlinkReplies(1, "test dump", (t, b, o, l) -> {}).accept(small, 20))
                .hasMessageContaining("does not fit");
    }

    private static List<TcpSocket> decodeAll(MemorySegment seg, long length, int seq, int mask) throws IOException {
        List<TcpSocket> out = new ArrayList<>();
        NetlinkReplies reply = new NetlinkReplies(seq, "test dump", new InetDiagDecoder(mask, out, new AddressCache()));
        reply.accept(seg, length);
        return out;
    }
}
