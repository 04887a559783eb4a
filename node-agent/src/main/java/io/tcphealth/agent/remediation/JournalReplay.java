package io.tcphealth.agent.remediation;

import io.tcphealth.agent.journal.Change;
import io.tcphealth.agent.journal.Journal;
import io.tcphealth.agent.journal.JournalEntry;
import io.tcphealth.agent.netns.NetNamespace;
import io.tcphealth.api.v1alpha1.ActionResult;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Undoes open changes from the journal.
 *
 * <p>The rule: for each open change, newest first (so a pulse taken on top of a tuned value returns to
 * the tuned value before the tuning itself is undone), write the change's original value, whatever
 * the current value is, read it back, then record {@code restored}. Writing the original is safe in
 * every crash case: killed between the intent and the change, the value still is the original and the
 * write changes nothing; killed after the write but before {@code restored} was recorded, the next
 * replay writes the same value again. A replay after a complete replay finds nothing open and does
 * nothing. A change whose namespace no longer exists died with it and is recorded as {@code gone}.
 */
public final class JournalReplay {
    private final Journal journal;
    private final SysctlAccess sysctls;
    private final NamespaceLocator locator;
    private final EventLog log;

    /** What happened to one change. */
    public record Outcome(Change change, ActionResult result, String message) {}

    public JournalReplay(Journal journal, SysctlAccess sysctls, NamespaceLocator locator, EventLog log) {
        this.journal = journal;
        this.sysctls = sysctls;
        this.locator = locator;
        this.log = log;
    }

    /** Undoes every open change that {@code which} selects, newest first. */
    public List<Outcome> replay(Predicate<Change> which, boolean honourRestoreOnDelete) throws InterruptedException {
        List<Change> open = new ArrayList<>(journal.openChanges());
        open.sort(Comparator.comparingLong(Change::id).reversed());
        List<Outcome> out = new ArrayList<>();
        for (Change c : open) {
            if (which.test(c)) {
                out.add(undo(c, honourRestoreOnDelete));
            }
        }
        return out;
    }

    /**
     * Undoes one change. A persistent change whose policy said {@code restoreOnDelete: false} is released
     * (left as it is, and no longer held) when {@code honourRestoreOnDelete}.
     */
    public Outcome undo(Change c, boolean honourRestoreOnDelete) throws InterruptedException {
        try {
            if (honourRestoreOnDelete && c.lifetime() == Change.Lifetime.PERSISTENT && !c.restoreOnDelete()) {
                String why = "left at " + c.target() + ": policy " + c.policy() + " has restoreOnDelete false";
                journal.recordClosed(c, JournalEntry.RELEASED, null, why);
                log.info("Released " + c.describe() + ", " + why);
                return new Outcome(c, ActionResult.Skipped, why);
            }
            Optional<NetNamespace> ns = locator.find(c);
            if (ns.isEmpty()) {
                String why = c.netns() + " (net:[" + c.netnsInode() + "]) no longer exists; the change went with it";
                journal.recordClosed(c, JournalEntry.GONE, null, why);
                log.info("Dropped " + c.describe() + " from the journal: " + why);
                return new Outcome(c, ActionResult.Skipped, why);
            }
            sysctls.write(ns.get(), c.sysctlRoot(), c.key(), c.original());
            long now = sysctls.read(ns.get(), c.sysctlRoot(), c.key());
            if (now != c.original()) {
                String why = "wrote " + c.original() + " but read back " + now;
                log.info("Could not restore " + c.describe() + ": " + why);
                return new Outcome(c, ActionResult.Failed, why);
            }
            journal.recordClosed(c, JournalEntry.RESTORED, c.original(), null);
            String what = "restored to " + c.original() + " (tcphealth had set " + c.target() + ")";
            log.info("Restored " + c.describe() + " to " + c.original() + " (was set to " + c.target() + " by policy "
                    + c.policy() + ")");
            return new Outcome(c, ActionResult.Done, what);
        } catch (IOException e) {
            log.info("Could not restore " + c.describe() + ": " + e.getMessage());
            return new Outcome(c, ActionResult.Failed, e.getMessage());
        }
    }
}
