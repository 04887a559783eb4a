package io.tcphealth.agent.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tcphealth.agent.journal.Change.Lifetime;
import io.tcphealth.agent.proc.SysctlKey;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JournalTest {
    private static final Path NS = Path.of("/run/netns/x");
    private static final Path ROOT = Path.of("/proc/sys");

    @TempDir
    Path dir;

    private Change keepalive(Journal j, long original, long target) throws Exception {
        return j.recordIntent(
                SysctlKey.TCP_KEEPALIVE_TIME,
                "host",
                NS,
                42,
                List.of(7),
                ROOT,
                original,
                target,
                "p",
                Lifetime.PERSISTENT,
                true);
    }

    @Test
    void openChangesSurviveReopeningUntilClosed() throws Exception {
        try (Journal j = Journal.open(dir, Clock.systemUTC())) {
            keepalive(j, 7200, 600);
            Change fin = j.recordIntent(
                    SysctlKey.TCP_FIN_TIMEOUT,
                    "host",
                    NS,
                    42,
                    List.of(),
                    ROOT,
                    60,
                    30,
                    "p",
                    Lifetime.PERSISTENT,
                    false);
            j.recordAction("Destroyed a socket");
            j.recordClosed(fin, JournalEntry.RESTORED, 60L, null);
        }
        try (Journal j = Journal.open(dir, Clock.systemUTC())) {
            assertThat(j.openChanges()).singleElement().satisfies(c -> {
                assertThat(c.key()).isEqualTo(SysctlKey.TCP_KEEPALIVE_TIME);
                assertThat(c.original()).isEqualTo(7200);
                assertThat(c.target()).isEqualTo(600);
                assertThat(c.netnsPath()).isEqualTo(NS);
                assertThat(c.netnsPids()).containsExactly(7);
            });
            assertThat(j.warnings()).isEmpty();
        }
    }

    @Test
    void aNewTargetKeepsTheOriginalFromBeforeTheFirstChange() throws Exception {
        try (Journal j = Journal.open(dir, Clock.systemUTC())) {
            Change first = keepalive(j, 7200, 600);
            Change second = keepalive(j, 600, 300);
            assertThat(second.id()).isEqualTo(first.id());
            assertThat(second.original()).isEqualTo(7200);
            assertThat(second.target()).isEqualTo(300);
        }
        try (Journal j = Journal.open(dir, Clock.systemUTC())) {
            assertThat(j.openChanges()).singleElement().satisfies(c -> {
                assertThat(c.original()).isEqualTo(7200);
                assertThat(c.target()).isEqualTo(300);
            });
        }
    }

    @Test
    void aTransientPulseIsItsOwnChangeAndItsTimeIsRemembered() throws Exception {
        try (Journal j = Journal.open(dir, Clock.systemUTC())) {
            j.recordIntent(
                    SysctlKey.TCP_MAX_ORPHANS,
                    "host",
                    NS,
                    42,
                    List.of(),
                    ROOT,
                    65536,
                    131072,
                    "p",
                    Lifetime.PERSISTENT,
                    true);
            j.recordIntent(
                    SysctlKey.TCP_MAX_ORPHANS,
                    "host",
                    NS,
                    42,
                    List.of(),
                    ROOT,
                    131072,
                    0,
                    "p",
                    Lifetime.TRANSIENT,
                    true);
            assertThat(j.openChanges()).hasSize(2);
            assertThat(j.lastPulse()).isPresent();
        }
    }

    @Test
    void aTornLastLineIsIgnoredReportedAndCutOffBeforeTheNextRecord() throws Exception {
        try (Journal j = Journal.open(dir, Clock.systemUTC())) {
            keepalive(j, 7200, 600);
        }
        Files.writeString(dir.resolve(Journal.FILE), "0badc0de {\"seq\":2,\"type\":\"int", StandardOpenOption.APPEND);
        try (Journal j = Journal.open(dir, Clock.systemUTC())) {
            assertThat(j.warnings()).singleElement().asString().contains("incomplete line 2");
            assertThat(j.openChanges()).hasSize(1);
            j.recordAction("after the crash");
        }
        try (Journal j = Journal.open(dir, Clock.systemUTC())) {
            assertThat(j.warnings()).isEmpty();
            assertThat(Files.readAllLines(dir.resolve(Journal.FILE))).hasSize(2);
        }
    }

    @Test
    void aDamagedCompleteLineIsCorruptionNotAGuess() throws Exception {
        try (Journal j = Journal.open(dir, Clock.systemUTC())) {
            keepalive(j, 7200, 600);
            j.recordAction("something");
        }
        Path file = dir.resolve(Journal.FILE);
        String text = Files.readString(file).replace("\"original\":7200", "\"original\":7300");
        Files.writeString(file, text);
        assertThatThrownBy(() -> Journal.open(dir, Clock.systemUTC()))
                .isInstanceOf(JournalCorruptException.class)
                .hasMessageContaining("line 1")
                .hasMessageContaining("checksum");
    }

    @Test
    void aClosingRecordWithoutItsIntentIsCorruption() throws Exception {
        String json = "{\"seq\":1,\"type\":\"restored\",\"time\":\"2026-01-01T00:00:00Z\",\"ref\":9,\"value\":1}";
        Files.writeString(
                dir.resolve(Journal.FILE), JournalLines.crc(json) + " " + json + "\n", StandardCharsets.UTF_8);
        assertThatThrownBy(() -> Journal.open(dir, Clock.systemUTC()))
                .isInstanceOf(JournalCorruptException.class)
                .hasMessageContaining("not open");
    }

    @Test
    void compactionKeepsOpenChangesAndTheLastPulseOnly() throws Exception {
        Change kept;
        java.time.Instant pulse;
        try (Journal j = Journal.open(dir, Clock.systemUTC())) {
            keepalive(j, 7200, 600);
            kept = keepalive(j, 600, 300);
            Change p = j.recordIntent(
                    SysctlKey.TCP_MAX_ORPHANS,
                    "host",
                    NS,
                    42,
                    List.of(),
                    ROOT,
                    65536,
                    0,
                    "p",
                    Lifetime.TRANSIENT,
                    true);
            j.recordClosed(p, JournalEntry.RESTORED, 65536L, null);
            pulse = j.lastPulse().orElseThrow();
            for (int i = 0; i < 200; i++) {
                j.recordAction("Destroyed socket " + i);
            }
            assertThat(j.compactIfLarger(1_000_000)).as("small enough").isFalse();
            assertThat(j.compactIfLarger(1000)).isTrue();
            assertThat(j.openChanges()).singleElement().satisfies(c -> {
                assertThat(c.original()).isEqualTo(7200);
                assertThat(c.target()).isEqualTo(300);
            });
            j.recordAction("after compaction");
        }
        assertThat(Files.readAllLines(dir.resolve(Journal.FILE))).hasSize(3);
        try (Journal j = Journal.open(dir, Clock.systemUTC())) {
            assertThat(j.openChanges()).singleElement().satisfies(c -> {
                assertThat(c.original()).isEqualTo(7200);
                assertThat(c.target()).isEqualTo(300);
                assertThat(c.opened()).isEqualTo(kept.opened());
            });
            assertThat(j.lastPulse()).contains(pulse);
        }
    }

    @Test
    void oneProcessAtATime() throws Exception {
        try (Journal j = Journal.open(dir, Clock.systemUTC())) {
            // FileChannel locks are per JVM, so a second open here fails the way another process would
            assertThatThrownBy(() -> Journal.open(dir, Clock.systemUTC())).hasMessageContaining(dir.toString());
        }
    }
}
