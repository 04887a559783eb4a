package io.tcphealth.agent.diagnosis;

import static org.assertj.core.api.Assertions.assertThat;

import io.tcphealth.agent.socket.TcpSocket;
import io.tcphealth.agent.socket.TcpState;
import io.tcphealth.agent.socket.TimerKind;
import io.tcphealth.api.v1alpha1.Severity;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which quiet connections count as idle without keepalive, and how they are grouped and told. */
class IdleWithoutKeepaliveDetectorTest {
    private static final DiagnosisSettings SETTINGS = new DiagnosisSettings(
            DiagnosisThresholds.DEFAULTS.withConnections(
                    new ConnectionThresholds(0.7, 0.9, 1, 5, 5, 0.8, Duration.ofMinutes(10))),
            List.of());
    private static final int TEN_MINUTES = 600_000;

    private static TcpSocket connection(
            int localPort, int remotePort, TimerKind timer, long recvQ, long inode, int silentMillis) {
        return new TcpSocket(
                TcpState.ESTABLISHED,
                ScanFixture.loopback(),
                localPort,
                ScanFixture.loopback(),
                remotePort,
                recvQ,
                0,
                timer,
                0,
                0,
                0,
                inode,
                inode,
                0,
                Boolean.FALSE,
                0,
                null,
                null,
                silentMillis,
                0);
    }

    private static List<Finding> idle(ScanFixture fixture) {
        return new Diagnoser()
                .diagnose(fixture.build(), new SocketAges(), SETTINGS).stream()
                        .filter(f -> f.type() == FindingType.IdleWithoutKeepalive)
                        .toList();
    }

    @Test
    void aClientsConnectionsToOnePeerAndAServersFromItsClientsAreOneWarningEach() {
        ScanFixture fixture = new ScanFixture()
                .process(10, 1, 'S', "pool")
                .process(20, 1, 'S', "server")
                .socket(ScanFixture.socket(TcpState.LISTEN, 5432, 0, 0, 0, 1), 20)
                .socket(connection(40001, 5432, TimerKind.NONE, 0, 2, TEN_MINUTES + 1), 10)
                .socket(connection(40002, 5432, TimerKind.NONE, 0, 3, 2 * TEN_MINUTES), 10)
                .socket(connection(5432, 40001, TimerKind.NONE, 0, 4, TEN_MINUTES), 20)
                .socket(connection(5432, 40002, TimerKind.NONE, 0, 5, TEN_MINUTES), 20);

        List<Finding> findings = idle(fixture);
        assertThat(findings).hasSize(2).allSatisfy(f -> {
            assertThat(f.severity()).isEqualTo(Severity.Warning);
            assertThat(f.count()).isEqualTo(2);
            assertThat(f.port()).isEqualTo(5432);
            assertThat(f.ageBasis()).isEqualTo(AgeBasis.kernelIdle);
            assertThat(f.nextStep())
                    .contains("SO_KEEPALIVE", "TCP_KEEPIDLE", "tcp_keepalive_time in its namespace (now 7200 s)");
        });
        Finding client =
                findings.stream().filter(f -> f.pid() == 10).findFirst().orElseThrow();
        assertThat(client.message()).contains("2 ESTABLISHED connections of pool (pid 10) to 127.0.0.1:5432");
        assertThat(client.ageSeconds()).isEqualTo(1200);
        Finding server =
                findings.stream().filter(f -> f.pid() == 20).findFirst().orElseThrow();
        assertThat(server.message()).contains("server (pid 20) from clients to port 5432");
    }

    @Test
    void severalOwnersOfOneServiceAreOneFindingNamingTheLowestPid() {
        ScanFixture fixture = new ScanFixture()
                .process(11, 1, 'S', "worker")
                .process(12, 1, 'S', "worker")
                .socket(connection(40001, 5432, TimerKind.NONE, 0, 2, TEN_MINUTES), 12)
                .socket(connection(40002, 5432, TimerKind.NONE, 0, 3, TEN_MINUTES), 11)
                .socket(connection(40003, 5432, TimerKind.NONE, 0, 4, TEN_MINUTES), 0); // owner not looked up

        assertThat(idle(fixture)).singleElement().satisfies(f -> {
            assertThat(f.pid()).isEqualTo(11);
            assertThat(f.count()).isEqualTo(3);
            assertThat(f.message()).contains("3 ESTABLISHED connections of worker (pid 11) and 1 other process to");
        });
    }

    @Test
    void keepaliveQueuedDataOrAShorterSilenceAreNotIdleWithoutKeepalive() {
        ScanFixture fixture = new ScanFixture()
                .process(10, 1, 'S', "pool")
                .socket(connection(40001, 5432, TimerKind.KEEPALIVE, 0, 2, -1), 10)
                .socket(connection(40002, 5432, TimerKind.NONE, 5, 3, 2 * TEN_MINUTES), 10)
                .socket(connection(40003, 5432, TimerKind.NONE, 0, 4, TEN_MINUTES - 1), 10)
                .socket(connection(40004, 5432, TimerKind.NONE, 0, 5, -1), 10);

        assertThat(idle(fixture)).isEmpty();
    }
}
