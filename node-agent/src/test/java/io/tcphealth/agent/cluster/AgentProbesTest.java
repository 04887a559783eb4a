package io.tcphealth.agent.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.tcphealth.agent.metrics.AgentProbes;
import io.tcphealth.testsupport.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class AgentProbesTest {

    @Test
    void liveWhileTheLoopProgressesReadyAfterTheFirstScan() {
        ManualClock clock = new ManualClock(Instant.EPOCH);
        AtomicBoolean loop = new AtomicBoolean(true);
        AgentProbes probes = new AgentProbes(clock, Duration.ofSeconds(30), loop::get);
        assertThat(probes.live()).isTrue();
        assertThat(probes.ready()).isFalse();
        probes.scanned(Duration.ofSeconds(30));
        assertThat(probes.ready()).isTrue();
        clock.advance(Duration.ofSeconds(119));
        assertThat(probes.live()).isTrue();
        clock.advance(Duration.ofSeconds(2));
        assertThat(probes.live()).as("no progress for 3 intervals + grace").isFalse();
        probes.progressed(Duration.ofSeconds(30));
        loop.set(false);
        assertThat(probes.live()).isFalse();
    }
}
