package io.tcphealth.agent.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.tcphealth.agent.metrics.ApiCalls;
import io.tcphealth.api.v1alpha1.Severity;
import io.tcphealth.testsupport.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PodEventsTest {
    private final ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final List<String> sent = new ArrayList<>();
    private final PodLookup pods = uid -> Optional.of(new PodRef(uid, "shop", "checkout-1", Map.of("c0ffee", "api")));

    @Test
    void aTightBudgetDelaysBothEventsOfAFindingItNeverRepeatsThePodsOne() {
        // An empty budget, as after an outage spent it: one token a second.
        TokenBucket bucket = new TokenBucket(1, 2, clock::nanos);
        bucket.tryAcquire(2);
        PodEvents events = new PodEvents(
                (target, reason, message) -> sent.add(target.kind()),
                new PodAttribution(pods),
                () -> Optional.of(EventTarget.node("n1", "uid", "default")),
                bucket,
                clock,
                ApiCalls.ignore(),
                m -> {});
        for (int round = 0; round < 40; round++) {
            events.announce(List.of(FindingEventsTest.leak(Severity.Warning, 300)));
            clock.advance(Duration.ofMillis(250));
        }
        assertThat(sent).containsExactly("Pod", "TcpHealthNode");
    }

    @Test
    void aFailingNodeEventDoesNotResendThePodEvent() {
        TokenBucket bucket = new TokenBucket(100, 100, clock::nanos);
        PodEvents events = new PodEvents(
                (target, reason, message) -> {
                    if (target.kind().equals("TcpHealthNode")) {
                        throw new IllegalStateException("forbidden");
                    }
                    sent.add(target.kind());
                },
                new PodAttribution(pods),
                () -> Optional.of(EventTarget.node("n1", "uid", "default")),
                bucket,
                clock,
                ApiCalls.ignore(),
                m -> {});
        for (int round = 0; round < 10; round++) {
            events.announce(List.of(FindingEventsTest.leak(Severity.Warning, 300)));
            clock.advance(Duration.ofSeconds(30));
        }
        assertThat(sent).containsExactly("Pod");
    }
}
