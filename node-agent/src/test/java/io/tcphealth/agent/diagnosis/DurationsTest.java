package io.tcphealth.agent.diagnosis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import org.junit.jupiter.api.Test;

class DurationsTest {
    @Test
    void parsesGoStyleDurations() {
        assertThat(Durations.parse("30s")).isEqualTo(Duration.ofSeconds(30));
        assertThat(Durations.parse("1h30m")).isEqualTo(Duration.ofMinutes(90));
        assertThat(Durations.parse("250ms")).isEqualTo(Duration.ofMillis(250));
        assertThat(Durations.parse("45")).isEqualTo(Duration.ofSeconds(45));
    }

    @Test
    void readsEveryDurationAPolicyMayHoldTheWayThePolicyDoes() {
        for (String text : new String[] {"1.5h", "1m0.5s", "0s", "2h45m10s", "0.001s"}) {
            assertThat(Durations.parse(text)).as(text).isEqualTo(io.tcphealth.api.v1alpha1.GoDuration.parse(text));
        }
        assertThat(Durations.parse("1.5h")).isEqualTo(Duration.ofMinutes(90));
    }

    @Test
    void rejectsWhatIsNotADuration() {
        for (String bad : new String[] {"", "5 m", "m5", "5x", "-5s", "5m junk", "1d", ".5s", "1.h", "10us"}) {
            assertThatThrownBy(() -> Durations.parse(bad)).as(bad).isInstanceOf(DateTimeParseException.class);
        }
    }

    @Test
    void printsTheTwoLargestUnits() {
        assertThat(Durations.human(Duration.ofSeconds(12))).isEqualTo("12s");
        assertThat(Durations.human(Duration.ofMinutes(42))).isEqualTo("42m");
        assertThat(Durations.human(Duration.ofMinutes(65))).isEqualTo("1h5m");
        assertThat(Durations.human(Duration.ofHours(76))).isEqualTo("3d4h");
    }
}
