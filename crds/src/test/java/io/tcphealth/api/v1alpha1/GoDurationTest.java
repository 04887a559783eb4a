package io.tcphealth.api.v1alpha1;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class GoDurationTest {

    @ParameterizedTest
    @CsvSource({
        "30s, PT30S",
        "5m, PT5M",
        "1h30m, PT1H30M",
        "1.5h, PT1H30M",
        "250ms, PT0.25S",
        "1m0.5s, PT1M0.5S",
        "90s, PT1M30S",
        "0s, PT0S",
    })
    void parsesKubernetesDurations(String text, Duration expected) {
        assertThat(GoDuration.parse(text)).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "30", "s", "1d", "5 m", "-5s", "1.h", ".5s", "10us", "1h 30m", "PT30S"})
    void rejectsWhatTheSchemaRejects(String text) {
        assertThat(Pattern.compile(GoDuration.PATTERN).matcher(text).find()).isFalse();
        assertThatThrownBy(() -> GoDuration.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'" + text + "'");
    }

    @ParameterizedTest
    @ValueSource(strings = {"30s", "5m", "1h30m", "1.5h", "250ms", "1m0.5s", "2h45m10s", "0.001s"})
    void agreesWithCelDuration(String text) throws Exception {
        long nanos = GoDuration.parse(text).toNanos();
        CelRule sameAsCel = new CelRule("duration(self) == duration('" + nanos + "ns')");

        assertThat(sameAsCel.holdsFor(text))
                .as("CEL duration('%s') is %d ns", text, nanos)
                .isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"30s", "1h30m", "250ms"})
    void ruleGuardLetsValidDurationsThrough(String text) throws Exception {
        assertThat(new CelRule(GoDuration.RULE_GUARD + "false").holdsFor(text)).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"30 seconds", "1d", "PT30S"})
    void ruleGuardStopsMalformedDurationsBeforeCelParsesThem(String text) throws Exception {
        assertThat(new CelRule(GoDuration.RULE_GUARD + "duration(self) > duration('0s')").holdsFor(text))
                .isTrue();
    }
}
