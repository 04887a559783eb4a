package io.tcphealth.agent.remediation;

import io.tcphealth.agent.journal.Change;
import io.tcphealth.agent.journal.Journal;
import java.io.IOException;
import java.util.List;
import java.util.function.Consumer;

/**
 * What every agent does with its journal before its first round, on a plain host and in a cluster alike:
 * report what the journal could not read, compact it when it has grown, undo the transient changes a crash
 * left open (a {@code tcp_max_orphans=0} pulse must never outlive the agent that started it), and remember
 * when the last pulse began so its cooldown holds across restarts.
 */
public final class JournalStartup {
    /** Sockets destroyed and signals sent add a line each; past this size the journal keeps only what is open. */
    public static final long COMPACT_BYTES = 4L * 1024 * 1024;

    private JournalStartup() {}

    public static void prepare(Journal journal, JournalReplay replay, RemediationMemory memory, Consumer<String> log)
            throws IOException, InterruptedException {
        journal.warnings().forEach(log);
        if (journal.compactIfLarger(COMPACT_BYTES)) {
            log.accept("Compacted journal " + journal.file() + " to its "
                    + journal.openChanges().size() + " open changes");
        }
        undoTransient(replay, log, "left open by an earlier run");
        journal.lastPulse().ifPresent(memory::pulseStartedAt);
    }

    /** Undoes the transient changes; {@code why} ends the log line ("on exit"). */
    public static void undoTransient(JournalReplay replay, Consumer<String> log, String why)
            throws InterruptedException {
        List<JournalReplay.Outcome> outcomes = replay.replay(c -> c.lifetime() == Change.Lifetime.TRANSIENT, false);
        if (!outcomes.isEmpty()) {
            log.accept(
                    "Undid " + outcomes.size() + " transient change" + (outcomes.size() == 1 ? "" : "s") + " " + why);
        }
    }
}
