package io.tcphealth.agent.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.tcphealth.agent.diagnosis.Finding;
import io.tcphealth.agent.diagnosis.FindingType;
import io.tcphealth.api.v1alpha1.Severity;
import io.tcphealth.testsupport.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class FindingEventsTest {
    private final ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final FindingEvents events = new FindingEvents();

    @Test
    void aSteadyLeakIsAnnouncedOnceAndThenHourly() {
        int announced = 0;
        for (int scan = 0; scan < 240; scan++) {
            announced += announceAll(List.of(leak(Severity.Warning, 300 + scan)));
            clock.advance(Duration.ofSeconds(30));
        }
        // Two hours of the same leak: the first Event and a reminder when it has lasted an hour.
        assertThat(announced).isEqualTo(2);
    }

    @Test
    void worseningIsAnnouncedAtOnce() {
        assertThat(announceAll(List.of(leak(Severity.Warning, 60)))).isEqualTo(1);
        clock.advance(Duration.ofSeconds(30));
        assertThat(announceAll(List.of(leak(Severity.Warning, 100)))).isZero();
        assertThat(announceAll(List.of(leak(Severity.Warning, 120))))
                .as("twice the count")
                .isEqualTo(1);
        assertThat(announceAll(List.of(leak(Severity.Critical, 130))))
                .as("higher severity")
                .isEqualTo(1);
    }

    @Test
    void aFlappingFindingIsQuietForTenMinutesAndInfoNeverAnnounces() {
        int announced = 0;
        for (int scan = 0; scan < 40; scan++) {
            announced += announceAll(scan % 2 == 0 ? List.of(leak(Severity.Warning, 60)) : List.of());
            clock.advance(Duration.ofSeconds(30));
        }
        // 20 minutes of flapping every 30 s: at most one Event per 10 minutes.
        assertThat(announced).isEqualTo(2);
        assertThat(announceAll(List.of(new Finding(
                        FindingType.PortOccupied,
                        Severity.Info,
                        1,
                        80,
                        null,
                        1,
                        "nginx",
                        null,
                        null,
                        null,
                        "host",
                        null,
                        "m",
                        "n"))))
                .isZero();
    }

    @Test
    void aFindingWhoseEventFailedStaysDue() {
        assertThat(events.due(List.of(leak(Severity.Warning, 60)), clock.instant()))
                .hasSize(1);
        clock.advance(Duration.ofSeconds(30));
        assertThat(events.due(List.of(leak(Severity.Warning, 60)), clock.instant()))
                .hasSize(1);
    }

    private int announceAll(List<Finding> findings) {
        List<FindingEvents.Due> due = events.due(findings, clock.instant());
        due.forEach(d -> events.announced(d.finding(), clock.instant()));
        return due.size();
    }

    static Finding leak(Severity severity, long count) {
        return new Finding(
                FindingType.CloseWaitLeak,
                severity,
                count,
                9080,
                "CLOSE_WAIT",
                4711,
                "java",
                "c0ffee",
                "pod-uid-1",
                null,
                "host",
                2520L,
                count + " CLOSE_WAIT sockets on :9080 held by java (pid 4711) for 42m.",
                "next");
    }
}
