package io.tcphealth.agent.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.tcphealth.testsupport.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.Random;
import org.junit.jupiter.api.Test;

class TokenBucketAndBackoffTest {

    @Test
    void theBucketAllowsABurstThenTheRate() {
        ManualClock clock = new ManualClock(Instant.EPOCH);
        TokenBucket bucket = new TokenBucket(1, 3, clock::nanos);
        int granted = 0;
        for (int i = 0; i < 10; i++) {
            granted += bucket.tryAcquire() ? 1 : 0;
        }
        assertThat(granted).isEqualTo(3);
        clock.advance(Duration.ofMillis(2500));
        granted = 0;
        for (int i = 0; i < 10; i++) {
            granted += bucket.tryAcquire() ? 1 : 0;
        }
        assertThat(granted).isEqualTo(2);
        clock.advance(Duration.ofHours(1));
        granted = 0;
        for (int i = 0; i < 10; i++) {
            granted += bucket.tryAcquire() ? 1 : 0;
        }
        assertThat(granted).as("tokens do not pile up beyond the burst").isEqualTo(3);
    }

    @Test
    void backoffGrowsWithJitterUpToItsCapAndResets() {
        Backoff backoff = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(60), new Random(3));
        long previousCeiling = 0;
        for (int i = 1; i <= 12; i++) {
            long ceiling = Math.min(60_000, 1000L << (i - 1));
            Duration wait = backoff.failed();
            assertThat(wait.toMillis()).isBetween(ceiling / 2, ceiling);
            assertThat(ceiling).isGreaterThanOrEqualTo(previousCeiling);
            previousCeiling = ceiling;
        }
        backoff.succeeded();
        assertThat(backoff.failed().toMillis()).isBetween(500L, 1000L);
    }
}
