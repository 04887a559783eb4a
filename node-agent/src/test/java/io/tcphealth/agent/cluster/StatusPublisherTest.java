package io.tcphealth.agent.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.tcphealth.agent.metrics.ApiCalls;
import io.tcphealth.api.v1alpha1.StateCounts;
import io.tcphealth.api.v1alpha1.TcpHealthNodeStatus;
import io.tcphealth.testsupport.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class StatusPublisherTest {
    private final ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final List<TcpHealthNodeStatus> written = new ArrayList<>();
    private boolean apiDown;
    private final StatusPublisher publisher = new StatusPublisher(
            status -> {
                if (apiDown) {
                    throw new IllegalStateException("connection refused");
                }
                written.add(status);
            },
            new TokenBucket(1, 5, clock::nanos),
            new Backoff(Duration.ofSeconds(1), Duration.ofMinutes(2), new Random(7)),
            clock,
            Duration.ofMinutes(5),
            ApiCalls.ignore(),
            m -> {});

    @Test
    void writesOnlyChangesAndAHeartbeat() {
        for (int scan = 0; scan < 60; scan++) {
            publisher.offer(status(10 + scan % 3, "2026-01-01T00:" + String.format("%02d", scan / 2) + ":00Z"));
            publisher.publish();
            clock.advance(Duration.ofSeconds(30));
        }
        // 30 minutes of small wobbles: the first write, then one heartbeat every 5 minutes.
        assertThat(written).hasSize(6);
        publisher.offer(status(200, "2026-01-01T00:31:00Z"));
        assertThat(publisher.publish()).isEqualTo(StatusPublisher.Outcome.WRITTEN);
        assertThat(written.getLast().getStates().getCloseWait()).isEqualTo(200);
        assertThat(written.getLast().getHeartbeat()).isEqualTo(clock.instant().toString());
    }

    @Test
    void anOutageBacksOffAndThenWritesOnlyTheNewestState() {
        publisher.offer(status(1, "t0"));
        publisher.publish();
        apiDown = true;
        int attempts = 0;
        for (int scan = 0; scan < 40; scan++) {
            publisher.offer(status(100 + scan * 10, "t" + scan));
            if (publisher.publish() == StatusPublisher.Outcome.FAILED) {
                attempts++;
            }
            clock.advance(Duration.ofSeconds(5));
        }
        // 200 s down: exponential backoff keeps the attempts to a handful instead of one per scan.
        assertThat(attempts).isBetween(3, 10);
        assertThat(publisher.failing()).isTrue();
        apiDown = false;
        clock.advance(Duration.ofMinutes(2));
        assertThat(publisher.publish()).isEqualTo(StatusPublisher.Outcome.WRITTEN);
        assertThat(written).hasSize(2);
        assertThat(written.getLast().getStates().getCloseWait()).isEqualTo(100 + 39 * 10);
        assertThat(publisher.failing()).isFalse();
    }

    @Test
    void theRateLimitDefersWritesItDoesNotDropThem() {
        StatusPublisher tight = new StatusPublisher(
                written::add,
                new TokenBucket(1, 1, clock::nanos),
                new Backoff(Duration.ofSeconds(1), Duration.ofMinutes(2), new Random(1)),
                clock,
                Duration.ofMinutes(5),
                ApiCalls.ignore(),
                m -> {});
        tight.offer(status(1, "a"));
        assertThat(tight.publish()).isEqualTo(StatusPublisher.Outcome.WRITTEN);
        tight.offer(status(500, "b"));
        assertThat(tight.publish()).isEqualTo(StatusPublisher.Outcome.RATE_LIMITED);
        clock.advance(Duration.ofSeconds(1));
        assertThat(tight.publish()).isEqualTo(StatusPublisher.Outcome.WRITTEN);
        assertThat(written.getLast().getStates().getCloseWait()).isEqualTo(500);
    }

    static TcpHealthNodeStatus status(long closeWait, String scanTime) {
        TcpHealthNodeStatus s = new TcpHealthNodeStatus();
        StateCounts states = new StateCounts();
        states.setCloseWait(closeWait);
        s.setStates(states);
        io.tcphealth.api.v1alpha1.LastScan last = new io.tcphealth.api.v1alpha1.LastScan();
        last.setTime(scanTime);
        s.setLastScan(last);
        return s;
    }
}
