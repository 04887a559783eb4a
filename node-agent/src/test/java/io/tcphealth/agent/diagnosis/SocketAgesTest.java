package io.tcphealth.agent.diagnosis;

import static org.assertj.core.api.Assertions.assertThat;

import io.tcphealth.agent.proc.ProcessInfo;
import io.tcphealth.agent.scan.NodeScan;
import io.tcphealth.agent.socket.TcpSocket;
import io.tcphealth.agent.socket.TcpState;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class SocketAgesTest {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    @Test
    void ageIsUnknownOnTheFirstScanAndGrowsAfter() {
        TcpSocket cw = ScanFixture.socket(TcpState.CLOSE_WAIT, 9080, 40000, 1, 0, 77);
        ScanFixture f = new ScanFixture().socket(cw, 0);
        SocketAges ages = new SocketAges();

        ages.observe(f.at(T0).build());
        assertThat(ages.socketAge(ScanFixture.HOST, cw)).isNull();

        ages.observe(f.at(T0.plusSeconds(30)).build());
        assertThat(ages.socketAge(ScanFixture.HOST, cw)).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void aStateChangeOrANewConnectionOnTheSameTupleStartsAfresh() {
        TcpSocket established = ScanFixture.socket(TcpState.ESTABLISHED, 9080, 40000, 10, 0, 77);
        TcpSocket closeWait = ScanFixture.socket(TcpState.CLOSE_WAIT, 9080, 40000, 10, 0, 77);
        TcpSocket reused = ScanFixture.socket(TcpState.CLOSE_WAIT, 9080, 40000, 10, 0, 78);
        SocketAges ages = new SocketAges();

        ages.observe(new ScanFixture().socket(established, 0).at(T0).build());
        ages.observe(
                new ScanFixture().socket(closeWait, 0).at(T0.plusSeconds(60)).build());
        ages.observe(
                new ScanFixture().socket(closeWait, 0).at(T0.plusSeconds(90)).build());
        assertThat(ages.socketAge(ScanFixture.HOST, closeWait)).isEqualTo(Duration.ofSeconds(30));

        ages.observe(new ScanFixture().socket(reused, 0).at(T0.plusSeconds(120)).build());
        assertThat(ages.socketAge(ScanFixture.HOST, reused)).isNull();
        assertThat(ages.trackedSockets()).isEqualTo(1);
    }

    @Test
    void idleEstablishedSocketsAreNotTracked() {
        NodeScan scan = new ScanFixture()
                .sockets(1000, TcpState.ESTABLISHED, 9080, 10, 0)
                .at(T0)
                .build();
        SocketAges ages = new SocketAges();
        ages.observe(scan);
        assertThat(ages.trackedSockets()).isZero();
    }

    private static TcpSocket withIdle(TcpSocket s, long idleMillis) {
        io.tcphealth.agent.socket.TcpInfo info = new io.tcphealth.agent.socket.TcpInfo(
                s.state().code(),
                0,
                0,
                0,
                204_000,
                0,
                0,
                0,
                idleMillis + 5000,
                idleMillis + 100,
                idleMillis,
                50,
                0,
                65536,
                65536);
        return new TcpSocket(
                s.state(),
                s.local(),
                s.localPort(),
                s.remote(),
                s.remotePort(),
                s.recvQueue(),
                s.sendQueue(),
                s.timer(),
                s.timerExpiresMillis(),
                s.retransmits(),
                s.uid(),
                s.inode(),
                s.cookie(),
                0,
                false,
                1,
                info,
                null);
    }

    @Test
    void theKernelsIdleTimeIsALowerBoundOnTheFirstScanUntilObservedIsLonger() {
        TcpSocket cw = withIdle(ScanFixture.socket(TcpState.CLOSE_WAIT, 9080, 40000, 1, 0, 77), 42 * 60_000);
        SocketAges ages = new SocketAges();

        ages.observe(new ScanFixture().socket(cw, 0).at(T0).build());
        assertThat(ages.socketAgeWithBasis(ScanFixture.HOST, cw))
                .isEqualTo(new Age(Duration.ofMinutes(42), AgeBasis.kernelIdle));
        assertThat(ages.socketAge(ScanFixture.HOST, cw)).isEqualTo(Duration.ofMinutes(42));
        assertThat(ages.socketAgeWithBasis(ScanFixture.HOST, cw).text()).isEqualTo("idle for at least 42m");

        // An hour later the kernel says it is idle for a second only (a keepalive was answered):
        // what was observed is then the longer, and says so.
        TcpSocket later = withIdle(cw, 1000);
        ages.observe(new ScanFixture().socket(later, 0).at(T0.plusSeconds(3600)).build());
        assertThat(ages.socketAgeWithBasis(ScanFixture.HOST, later))
                .isEqualTo(new Age(Duration.ofHours(1), AgeBasis.observed));
    }

    @Test
    void whatWasObservedSurvivesARestartThroughTheStore(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
        TcpSocket cw = ScanFixture.socket(TcpState.CLOSE_WAIT, 9080, 40000, 1, 0, 77);
        ProcessInfo z = new ProcessInfo(51, 50, 'Z', "sleep", 500, 1, -1, -1, false, null);
        SocketAges first = new SocketAges(new SocketAgeStore(dir));
        first.observe(new ScanFixture().socket(cw, 0).process(z).at(T0).build());
        first.observe(new ScanFixture()
                .socket(cw, 0)
                .process(z)
                .at(T0.plusSeconds(300))
                .build());

        SocketAges restarted = new SocketAges(new SocketAgeStore(dir));
        restarted.observe(new ScanFixture()
                .socket(cw, 0)
                .process(z)
                .at(T0.plusSeconds(400))
                .build());
        assertThat(restarted.socketAgeWithBasis(ScanFixture.HOST, cw))
                .isEqualTo(new Age(Duration.ofSeconds(400), AgeBasis.observed));
        assertThat(restarted.zombieAge(z)).isEqualTo(Duration.ofSeconds(400));
    }

    @Test
    void aDamagedStoreCostsOnlyTheLinesThatDoNotParse() {
        String text = "tcphealth-ages\t1\n"
                + "S\t4026531840\tCLOSE_WAIT\t127.0.0.1\t9080\t127.0.0.1\t40000\t77\t0\t1767225600000\n"
                + "S\t4026531840\tNOT_A_STATE\t127.0.0.1\t9080\t127.0.0.1\t40000\t77\t0\t1\n"
                + "S\tgarbage\n"
                + "Z\t51\t500\t1767225600000\n";
        SocketAgeStore.Saved saved = SocketAgeStore.parse(text);
        assertThat(saved.sockets()).singleElement().satisfies(e -> {
            assertThat(e.state()).isEqualTo(TcpState.CLOSE_WAIT);
            assertThat(e.firstSeen()).isEqualTo(T0);
        });
        assertThat(saved.zombies()).hasSize(1);
        assertThat(saved.skippedLines()).isEqualTo(2);
        assertThat(SocketAgeStore.parse(SocketAgeStore.format(saved.sockets(), saved.zombies())))
                .isEqualTo(new SocketAgeStore.Saved(saved.sockets(), saved.zombies(), 0));
        assertThat(SocketAgeStore.parse("something else\n").sockets()).isEmpty();
    }

    @Test
    void zombiesAreAgedByPidAndStartTime() {
        ProcessInfo z = new ProcessInfo(51, 50, 'Z', "sleep", 500, 1, -1, -1, false, null);
        ProcessInfo recycled = new ProcessInfo(51, 50, 'Z', "sleep", 900, 1, -1, -1, false, null);
        SocketAges ages = new SocketAges();
        ages.observe(new ScanFixture().process(z).at(T0).build());
        ages.observe(new ScanFixture().process(z).at(T0.plusSeconds(600)).build());
        assertThat(ages.zombieAge(z)).isEqualTo(Duration.ofMinutes(10));

        ages.observe(new ScanFixture().process(recycled).at(T0.plusSeconds(700)).build());
        assertThat(ages.zombieAge(recycled)).isNull();
    }
}
