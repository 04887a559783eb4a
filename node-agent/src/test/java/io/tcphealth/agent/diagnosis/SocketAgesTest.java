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
        ages.observe(new ScanFixture().socket(closeWait, 0).at(T0.plusSeconds(60)).build());
        ages.observe(new ScanFixture().socket(closeWait, 0).at(T0.plusSeconds(90)).build());
        assertThat(ages.socketAge(ScanFixture.HOST, closeWait)).isEqualTo(Duration.ofSeconds(30));

        ages.observe(new ScanFixture().socket(reused, 0).at(T0.plusSeconds(120)).build());
        assertThat(ages.socketAge(ScanFixture.HOST, reused)).isNull();
        assertThat(ages.trackedSockets()).isEqualTo(1);
    }

    @Test
    void idleEstablishedSocketsAreNotTracked() {
        NodeScan scan = new ScanFixture().sockets(1000, TcpState.ESTABLISHED, 9080, 10, 0).at(T0).build();
        SocketAges ages = new SocketAges();
        ages.observe(scan);
        assertThat(ages.trackedSockets()).isZero();
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
