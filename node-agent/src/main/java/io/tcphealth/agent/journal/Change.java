package io.tcphealth.agent.journal;

import io.tcphealth.agent.proc.SysctlKey;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/**
 * A change the journal holds open: a sysctl that tcphealth set and has not yet put back.
 *
 * @param id       the seq of the intent that opened it; closing records refer to it
 * @param target   the latest value set (a policy edit appends another intent with the same original)
 * @param opened   when the first intent was written
 */
public record Change(
        long id,
        SysctlKey key,
        String netns,
        Path netnsPath,
        long netnsInode,
        List<Integer> netnsPids,
        Path sysctlRoot,
        long original,
        long target,
        String policy,
        Lifetime lifetime,
        boolean restoreOnDelete,
        Instant opened) {

    public Change {
        netnsPids = List.copyOf(netnsPids);
    }

    /** Transient changes (the orphan pulse) are undone on every exit; persistent ones (tuning) outlive the agent. */
    public enum Lifetime {
        TRANSIENT,
        PERSISTENT;

        String word() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        static Lifetime of(String word) {
            return valueOf(word.toUpperCase(java.util.Locale.ROOT));
        }
    }

    /** Two intents belong to one change when they set the same key, in the same place, for the same lifetime. */
    public boolean sameSlot(SysctlKey otherKey, long otherInode, Path otherRoot, Lifetime otherLifetime) {
        return key == otherKey && netnsInode == otherInode && sysctlRoot.equals(otherRoot) && lifetime == otherLifetime;
    }

    /** "net.ipv4.tcp_keepalive_time in host", for logs. */
    public String describe() {
        return key.dottedName() + " in " + netns;
    }
}
