package io.tcphealth.agent.journal;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * One line of the journal. Flat on purpose: every line is readable with {@code jq} and a reader
 * needs no knowledge of subtypes.
 *
 * @param seq        position in the journal, strictly increasing from 1
 * @param type       {@code intent}, {@code restored}, {@code gone}, {@code released}, {@code action}, or {@code pulse}
 *                   (when the last orphan pulse began, kept by compaction for the cool-down)
 * @param time       when it was written (ISO-8601)
 * @param ref        for restored/gone/released: the seq of the intent that opened the change
 * @param key        intent: dotted sysctl name
 * @param netns      intent: "host" or "netns:[inode]"
 * @param netnsPath  intent: a path through which the namespace can be entered again
 * @param netnsInode intent: the namespace's inode, to recognise it (or its absence) later
 * @param netnsPids  intent: a few processes living in it, other ways in when the path's process is gone
 * @param sysctlRoot intent: the sysctl root written under
 * @param original   intent: the value before tcphealth's first change of this key here
 * @param target     intent: the value being set
 * @param policy     intent: the policy that wants the change
 * @param lifetime   intent: {@code transient} (undone on any exit) or {@code persistent}
 * @param restoreOnDelete intent: whether the value goes back when no policy wants it
 * @param value      restored: the value written back
 * @param detail     free text: why, or for an action what happened
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record JournalEntry(
        long seq,
        String type,
        String time,
        Long ref,
        String key,
        String netns,
        String netnsPath,
        Long netnsInode,
        List<Integer> netnsPids,
        String sysctlRoot,
        Long original,
        Long target,
        String policy,
        String lifetime,
        Boolean restoreOnDelete,
        Long value,
        String detail) {

    public static final String INTENT = "intent";
    public static final String RESTORED = "restored";
    public static final String GONE = "gone";
    public static final String RELEASED = "released";
    public static final String ACTION = "action";
    public static final String PULSE = "pulse";

    static final List<String> TYPES = List.of(INTENT, RESTORED, GONE, RELEASED, ACTION, PULSE);

    boolean closes() {
        return type.equals(RESTORED) || type.equals(GONE) || type.equals(RELEASED);
    }
}
