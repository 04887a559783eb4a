package io.tcphealth.agent.cluster;

import io.tcphealth.agent.diagnosis.Finding;
import io.tcphealth.agent.diagnosis.FindingType;
import io.tcphealth.api.v1alpha1.Severity;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which findings deserve an Event this round, so that {@code kubectl describe pod} shows a leak without an
 * Event storm. A finding is announced when it is new, when it got worse (higher severity, or at least twice
 * the count last announced), and once an hour while it lasts (Events expire after an hour by default, and
 * the pod's description should still show a leak that never went away). A finding that flaps around its
 * threshold is announced again only after {@link #QUIET_AFTER_CLEAR}. Only Warning and Critical findings are
 * announced. Only findings whose Event was actually created count as announced, so a finding seen while the
 * API was down is announced once it is back. Keyed by pod (or node), type and port. Pure state, no I/O.
 */
public final class FindingEvents {
    static final Duration REMIND_EVERY = Duration.ofHours(1);
    static final Duration QUIET_AFTER_CLEAR = Duration.ofMinutes(10);
    static final Duration FORGET_AFTER = Duration.ofHours(1);

    /** One finding's identity across scans. */
    public record Key(String pod, FindingType type, Integer port) {
        static Key of(Finding f) {
            return new Key(f.podUid() == null ? "node" : f.podUid(), f.type(), f.port());
        }
    }

    /** Why an Event is due. */
    public enum Why {
        NEW,
        WORSE,
        STILL_THERE
    }

    public record Due(Finding finding, Why why) {}

    private record Announced(Severity severity, long count, Instant at, boolean gone, Instant lastSeen) {
        Announced seen(Instant now) {
            return new Announced(severity, count, at, false, now);
        }

        Announced vanished() {
            return new Announced(severity, count, at, true, lastSeen);
        }
    }

    private final Map<Key, Announced> announced = new HashMap<>();

    /** The findings to announce now, most severe first (the order given). */
    public List<Due> due(List<Finding> findings, Instant now) {
        List<Due> out = new ArrayList<>();
        Set<Key> present = new HashSet<>();
        for (Finding f : findings) {
            Key key = Key.of(f);
            if (f.severity() == Severity.Info || !present.add(key)) {
                continue;
            }
            Announced a = announced.get(key);
            Why why = why(f, a, now);
            if (why != null) {
                out.add(new Due(f, why));
            }
            if (a != null) {
                announced.put(key, a.seen(now));
            }
        }
        announced.replaceAll((k, a) -> present.contains(k) ? a : a.vanished());
        announced
                .entrySet()
                .removeIf(e -> e.getValue().gone()
                        && e.getValue().lastSeen().plus(FORGET_AFTER).isBefore(now));
        return out;
    }

    /** Records that the Event for this finding was created. */
    public void announced(Finding f, Instant now) {
        announced.put(Key.of(f), new Announced(f.severity(), f.count(), now, false, now));
    }

    private static Why why(Finding f, Announced a, Instant now) {
        if (a == null) {
            return Why.NEW;
        }
        if (f.severity().compareTo(a.severity()) > 0 || f.count() >= 2 * Math.max(1, a.count())) {
            return Why.WORSE;
        }
        if (a.gone()) {
            return a.at().plus(QUIET_AFTER_CLEAR).isAfter(now) ? null : Why.NEW;
        }
        return a.at().plus(REMIND_EVERY).isAfter(now) ? null : Why.STILL_THERE;
    }
}
