package io.tcphealth.operator.status;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class StatusRateLimiterTest {

    private static final Instant T0 = Instant.parse("2026-06-01T12:00:00Z");
    private final StatusRateLimiter limiter = new StatusRateLimiter(Duration.ofSeconds(10));

    @Test
    void aPolicyWritesAtMostOncePerIntervalButOthersAreNotHeldUp() {
        assertThat(limiter.wait("a", T0, false)).isZero();
        limiter.written("a", T0);

        assertThat(limiter.wait("a", T0.plusSeconds(4), false)).isEqualTo(Duration.ofSeconds(6));
        assertThat(limiter.wait("b", T0.plusSeconds(4), false)).isZero();
        assertThat(limiter.wait("a", T0.plusSeconds(10), false)).isZero();
    }

    @Test
    void aSpecChangeIsShownAtOnce() {
        limiter.written("a", T0);

        assertThat(limiter.wait("a", T0.plusSeconds(1), true)).isZero();
    }

    @Test
    void aForgottenPolicyStartsAfresh() {
        limiter.written("a", T0);
        limiter.forget("a");

        assertThat(limiter.wait("a", T0.plusSeconds(1), false)).isZero();
    }
}
