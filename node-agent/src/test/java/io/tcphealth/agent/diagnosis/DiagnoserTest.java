package io.tcphealth.agent.diagnosis;

import static org.assertj.core.api.Assertions.assertThat;

import io.tcphealth.agent.proc.ProcessInfo;
import io.tcphealth.agent.proc.TcpSysctls;
import io.tcphealth.agent.scan.NodeScan;
import io.tcphealth.agent.socket.TcpState;
import io.tcphealth.api.v1alpha1.Severity;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class DiagnoserTest {
    private final Diagnoser diagnoser = new Diagnoser();

    private List<Finding> diagnose(ScanFixture f, Integer... ports) {
        return diagnoser.diagnose(
                f.build(), Ages.UNKNOWN, new DiagnosisSettings(DiagnosisThresholds.DEFAULTS, List.of(ports)));
    }

    private static List<Finding> ofType(List<Finding> findings, FindingType type) {
        return findings.stream().filter(f -> f.type() == type).toList();
    }

    @Test
    void closeWaitIsGroupedByOwnerAndGradedByThreshold() {
        ScanFixture f = new ScanFixture()
                .process(10, 1, 'S', "java")
                .process(20, 1, 'S', "nginx")
                .sockets(1, TcpState.LISTEN, 9080, 10, 0)
                .sockets(60, TcpState.CLOSE_WAIT, 9080, 10, 1)
                .sockets(3, TcpState.CLOSE_WAIT, 8443, 20, 1)
                .sockets(250, TcpState.ESTABLISHED, 9080, 10, 0);

        List<Finding> cw = ofType(diagnose(f), FindingType.CloseWaitLeak);

        assertThat(cw).hasSize(2);
        Finding java = cw.get(0);
        assertThat(java.severity()).isEqualTo(Severity.Warning);
        assertThat(java.count()).isEqualTo(60);
        assertThat(java.port()).isEqualTo(9080);
        assertThat(java.pid()).isEqualTo(10);
        assertThat(java.comm()).isEqualTo("java");
        assertThat(java.state()).isEqualTo("CLOSE_WAIT");
        assertThat(java.netns()).isEqualTo("host");
        assertThat(java.message()).contains("60 CLOSE_WAIT sockets on :9080 held by java (pid 10)");
        assertThat(java.nextStep()).contains("close()");
        Finding nginx = cw.get(1);
        assertThat(nginx.severity()).isEqualTo(Severity.Info);
        assertThat(nginx.pid()).isEqualTo(20);
    }

    @Test
    void closeWaitFiveTimesTheThresholdIsCritical() {
        ScanFixture f = new ScanFixture().process(10, 1, 'S', "java").sockets(250, TcpState.CLOSE_WAIT, 9080, 10, 1);
        assertThat(ofType(diagnose(f), FindingType.CloseWaitLeak))
                .singleElement()
                .extracting(Finding::severity)
                .isEqualTo(Severity.Critical);
    }

    @Test
    void closeWaitStuckLongerThanStuckAfterIsAWarningEvenWhenFew() {
        ScanFixture f = new ScanFixture().process(10, 1, 'S', "java").sockets(2, TcpState.CLOSE_WAIT, 9080, 10, 1);
        SocketAges ages = new SocketAges();
        Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
        ages.observe(f.at(t0).build());
        NodeScan later = f.at(t0.plus(Duration.ofMinutes(42))).build();
        ages.observe(later);

        Finding cw = ofType(diagnoser.diagnose(later, ages, DiagnosisSettings.defaults()), FindingType.CloseWaitLeak)
                .get(0);

        assertThat(cw.severity()).isEqualTo(Severity.Warning);
        assertThat(cw.ageSeconds()).isEqualTo(42 * 60);
        assertThat(cw.message()).contains("for 42m");
    }

    @Test
    void unreadDataInCloseWaitMeansTheOwnerStoppedReading() {
        // Recv-Q 1 in CLOSE_WAIT is only the peer's FIN; 101 is 100 bytes of data plus the FIN.
        ScanFixture f = new ScanFixture()
                .process(10, 1, 'S', "java")
                .sockets(2, TcpState.CLOSE_WAIT, 9080, 10, 101)
                .sockets(5, TcpState.CLOSE_WAIT, 9080, 10, 1)
                .sockets(4, TcpState.ESTABLISHED, 9080, 10, 100);

        Finding unread = ofType(diagnose(f), FindingType.UnreadReceiveQueue).get(0);

        assertThat(unread.count()).isEqualTo(2);
        assertThat(unread.message()).contains("200 unread bytes");
        assertThat(unread.severity()).isEqualTo(Severity.Warning);
        assertThat(unread.pid()).isEqualTo(10);
    }

    @Test
    void unreadQueueOfAZombieOwnerIsCritical() {
        ScanFixture f = new ScanFixture()
                .process(new ProcessInfo(10, 1, 'Z', "worker", 1, 2, -1, -1, false, null))
                .sockets(1, TcpState.CLOSE_WAIT, 9080, 10, 500);

        List<Finding> findings = diagnose(f);

        assertThat(ofType(findings, FindingType.UnreadReceiveQueue))
                .singleElement()
                .extracting(Finding::severity)
                .isEqualTo(Severity.Critical);
        Finding holds = ofType(findings, FindingType.ZombieHoldsSockets).get(0);
        assertThat(holds.severity()).isEqualTo(Severity.Critical);
        assertThat(holds.pid()).isEqualTo(10);
        assertThat(holds.message()).contains("1 live thread").contains("1 socket on :9080");
        assertThat(ofType(findings, FindingType.ZombieProcesses))
                .as("a dead leader with live threads is not reapable")
                .isEmpty();
    }

    @Test
    void finWait1IsGroupedByServicePortAndCountsOrphans() {
        ScanFixture f = new ScanFixture()
                .socket(ScanFixture.socket(TcpState.FIN_WAIT1, 45000, 9080, 0, 6000, 0), 0)
                .socket(ScanFixture.socket(TcpState.FIN_WAIT1, 45001, 9080, 0, 6000, 0), 0)
                .socket(ScanFixture.socket(TcpState.FIN_WAIT1, 8080, 50000, 0, 6000, 0), 0);

        List<Finding> fw = ofType(diagnose(f), FindingType.FinWait1Stuck);

        assertThat(fw).extracting(Finding::port).containsExactlyInAnyOrder(9080, 8080);
        Finding toService =
                fw.stream().filter(x -> x.port() == 9080).findFirst().orElseThrow();
        assertThat(toService.count()).isEqualTo(2);
        assertThat(toService.message()).contains("2 orphaned, 2 probing a zero window");
        assertThat(toService.severity()).isEqualTo(Severity.Info);
        assertThat(toService.pid()).isNull();
    }

    @Test
    void finWait1ThresholdIsPerNode() {
        ScanFixture f = new ScanFixture()
                .sockets(60, TcpState.FIN_WAIT1, 9080, 0, 0)
                .sockets(60, TcpState.FIN_WAIT1, 9090, 0, 0);
        assertThat(ofType(diagnose(f), FindingType.FinWait1Stuck))
                .hasSize(2)
                .allMatch(x -> x.severity() == Severity.Warning);
    }

    @Test
    void orphanPressureFollowsTheRatios() {
        assertThat(ofType(diagnose(new ScanFixture().orphans(100, 1000)), FindingType.OrphanPressure))
                .singleElement()
                .extracting(Finding::severity)
                .isEqualTo(Severity.Info);
        assertThat(ofType(diagnose(new ScanFixture().orphans(300, 1000)), FindingType.OrphanPressure))
                .singleElement()
                .extracting(Finding::severity)
                .isEqualTo(Severity.Warning);
        Finding critical = ofType(diagnose(new ScanFixture().orphans(500, 1000)), FindingType.OrphanPressure)
                .get(0);
        assertThat(critical.severity()).isEqualTo(Severity.Critical);
        assertThat(critical.message())
                .contains("500 orphaned sockets on the whole host (the kernel counts them host-wide),"
                        + " 50.0% of tcp_max_orphans (1000)")
                .contains("None of them is in the namespaces scanned");
        assertThat(ofType(diagnose(new ScanFixture().orphans(0, 1000)), FindingType.OrphanPressure))
                .isEmpty();
        assertThat(ofType(diagnose(new ScanFixture().orphans(3, 0)), FindingType.OrphanPressure))
                .singleElement()
                .satisfies(x -> assertThat(x.message()).contains("is 0"));
    }

    @Test
    void portHeldByStuckSocketsWithoutAListenerIsCritical() {
        ScanFixture f = new ScanFixture()
                .process(10, 1, 'S', "java")
                .sockets(3, TcpState.CLOSE_WAIT, 9080, 10, 1)
                .sockets(2, TcpState.FIN_WAIT1, 9080, 0, 0);

        Finding port = ofType(diagnose(f, 9080), FindingType.PortOccupied).get(0);

        assertThat(port.severity()).isEqualTo(Severity.Critical);
        assertThat(port.count()).isEqualTo(5);
        assertThat(port.pid()).isEqualTo(10);
        assertThat(port.message())
                .contains("3 CLOSE_WAIT, 2 FIN_WAIT1")
                .contains("java (pid 10)")
                .contains("SO_REUSEADDR");
    }

    @Test
    void portWithAHealthyListenerIsInfoAndAFreePortSaysSo() {
        ScanFixture f = new ScanFixture()
                .process(10, 1, 'S', "nginx")
                .sockets(1, TcpState.LISTEN, 80, 10, 0)
                .sockets(4, TcpState.ESTABLISHED, 80, 10, 0)
                .sockets(2, TcpState.TIME_WAIT, 443, 0, 0);

        List<Finding> ports = ofType(diagnose(f, 80, 443, 9999), FindingType.PortOccupied);

        assertThat(ports).hasSize(3).allMatch(x -> x.severity() == Severity.Info);
        assertThat(ports)
                .filteredOn(x -> x.port() == 80)
                .singleElement()
                .satisfies(x -> assertThat(x.message())
                        .contains("cannot bind (EADDRINUSE): nginx (pid 10) listens on the port"));
        assertThat(ports)
                .filteredOn(x -> x.port() == 443)
                .singleElement()
                .satisfies(x -> assertThat(x.message())
                        .contains("2 TIME_WAIT")
                        .contains("with SO_REUSEADDR it binds only if each"));
        assertThat(ports)
                .filteredOn(x -> x.port() == 9999)
                .singleElement()
                .satisfies(x -> assertThat(x.message()).contains("is free"));
    }

    @Test
    void zombiesAreGroupedByParentWithTheParentsRole() {
        ScanFixture f = new ScanFixture()
                .process(50, 1, 'S', "supervisor")
                .process(51, 50, 'Z', "sleep")
                .process(52, 50, 'Z', "sleep")
                .process(53, 50, 'Z', "sleep")
                .process(54, 50, 'Z', "sleep")
                .process(55, 50, 'Z', "sleep")
                .process(60, 1, 'Z', "orphan");

        List<Finding> z = ofType(diagnose(f), FindingType.ZombieProcesses);

        assertThat(z).hasSize(2);
        Finding sup = z.get(0);
        assertThat(sup.count()).isEqualTo(5);
        assertThat(sup.severity()).isEqualTo(Severity.Warning);
        assertThat(sup.pid()).isEqualTo(50);
        assertThat(sup.comm()).isEqualTo("supervisor");
        assertThat(sup.message()).contains("has not called wait()");
        assertThat(sup.nextStep()).contains("kill -CHLD 50");
        assertThat(z.get(1).message()).contains("re-parented to the host's init");
    }

    @Test
    void zombiesUnderAPidNamespaceInitOrASubreaperAreToldApartWithTheirOwnNextStep() {
        ProcessInfo containerInit = new ProcessInfo(70, 1, 'S', "node", 5000, 1, 10, 1024, false, null, true);
        ProcessInfo subreaper = new ProcessInfo(80, 1, 'S', "shim", 9000, 1, 10, 1024, false, null);
        ProcessInfo selfMade = new ProcessInfo(90, 1, 'S', "worker", 100, 1, 10, 1024, false, null);
        ScanFixture f = new ScanFixture()
                .process(containerInit)
                .process(subreaper)
                .process(selfMade)
                .process(new ProcessInfo(71, 70, 'Z', "npm", 6000, 1, -1, -1, false, null))
                .process(new ProcessInfo(
                        81, 80, 'Z', "job", 8000, 1, -1, -1, false, null)) // older than its parent: adopted
                .process(new ProcessInfo(91, 90, 'Z', "task", 200, 1, -1, -1, false, null));

        List<Finding> z = ofType(diagnose(f), FindingType.ZombieProcesses);

        Finding init = z.stream().filter(x -> x.pid() == 70).findFirst().orElseThrow();
        assertThat(init.message()).contains("PID 1 of its PID namespace");
        assertThat(init.nextStep()).contains("tini").contains("ends the whole container");
        Finding adopted = z.stream().filter(x -> x.pid() == 80).findFirst().orElseThrow();
        assertThat(adopted.message()).contains("child subreaper");
        assertThat(adopted.nextStep()).contains("kill -CHLD 80").contains("subreaper");
        Finding own = z.stream().filter(x -> x.pid() == 90).findFirst().orElseThrow();
        assertThat(own.message()).contains("has not called wait()");
        assertThat(own.nextStep()).contains("kill -CHLD 90").contains("restart worker");
    }

    @Test
    void aContainersFirstProcessThatNeverReapsGetsInitAdvice() {
        ScanFixture f = new ScanFixture()
                .process(100, 1, 'S', "containerd-shim")
                .process(ScanFixture.containerProcess(101, 100, 'S', "app", "abc123"))
                .process(ScanFixture.containerProcess(102, 101, 'Z', "sh", "abc123"));

        Finding z = ofType(diagnose(f), FindingType.ZombieProcesses).get(0);

        assertThat(z.pid()).isEqualTo(101);
        assertThat(z.containerId()).isEqualTo("abc123");
        assertThat(z.podUid()).isNotNull();
        assertThat(z.nextStep()).contains("shareProcessNamespace");
    }

    @Test
    void fdExhaustionRisk() {
        ScanFixture f = new ScanFixture()
                .process(new ProcessInfo(10, 1, 'S', "java", 1, 1, 980, 1024, false, null))
                .process(new ProcessInfo(11, 1, 'S', "db", 1, 1, 850, 1024, false, null))
                .process(new ProcessInfo(12, 1, 'S', "ok", 1, 1, 100, 1024, false, null))
                .process(new ProcessInfo(13, 1, 'S', "unknown", 1, 1, -1, 1024, false, null));

        List<Finding> fd = ofType(diagnose(f), FindingType.FdExhaustionRisk);

        assertThat(fd)
                .extracting(Finding::pid, Finding::severity)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(10, Severity.Critical),
                        org.assertj.core.groups.Tuple.tuple(11, Severity.Warning));
        assertThat(fd.get(0).message()).contains("980 of 1024");
    }

    @Test
    void keepaliveAtTheDefaultIsFlaggedOnlyWhileCloseWaitPilesUp() {
        ScanFixture quiet = new ScanFixture().process(10, 1, 'S', "java").sockets(3, TcpState.CLOSE_WAIT, 9080, 10, 1);
        assertThat(ofType(diagnose(quiet), FindingType.SysctlDrift)).isEmpty();

        ScanFixture piling =
                new ScanFixture().process(10, 1, 'S', "java").sockets(80, TcpState.CLOSE_WAIT, 9080, 10, 1);
        assertThat(ofType(diagnose(piling), FindingType.SysctlDrift))
                .singleElement()
                .satisfies(x -> assertThat(x.message()).contains("tcp_keepalive_time is the 7200 s default"));

        ScanFixture tuned = new ScanFixture()
                .process(10, 1, 'S', "java")
                .sockets(80, TcpState.CLOSE_WAIT, 9080, 10, 1)
                .sysctls(new TcpSysctls(65536, 600, 15, 3, 60, 2));
        assertThat(ofType(diagnose(tuned), FindingType.SysctlDrift)).isEmpty();
    }

    @Test
    void findingsAreOrderedMostSevereFirst() {
        ScanFixture f = new ScanFixture()
                .process(10, 1, 'S', "java")
                .sockets(3, TcpState.CLOSE_WAIT, 9080, 10, 1)
                .sockets(300, TcpState.CLOSE_WAIT, 8080, 0, 1)
                .orphans(300, 1000);

        List<Finding> findings = diagnose(f);

        assertThat(findings).extracting(Finding::severity).isSortedAccordingTo(java.util.Comparator.reverseOrder());
        assertThat(Diagnoser.worst(findings)).isEqualTo(Severity.Critical);
        assertThat(Diagnoser.worst(List.of())).isNull();
    }

    @Test
    void diagnosisIsDeterministic() {
        ScanFixture f = new ScanFixture()
                .process(10, 1, 'S', "java")
                .process(11, 1, 'S', "b")
                .sockets(70, TcpState.CLOSE_WAIT, 9080, 10, 1)
                .sockets(70, TcpState.CLOSE_WAIT, 9081, 11, 1);
        assertThat(diagnose(f, 9080)).isEqualTo(diagnose(f, 9080));
    }
}
