package io.tcphealth.agent.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tcphealth.api.v1alpha1.TcpHealthNodeStatus;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * Whether a new status says something the written one does not. Time-only fields (heartbeat, scan time and
 * duration, ages) and messages never count: they change every scan. Counts count only when they moved by more than a
 * little ({@link #COUNT_SLACK} and {@link #COUNT_RATIO}): a busy node's ESTABLISHED count changes every scan,
 * and writing it each time would cost one API write per node per interval for nothing anyone acts on. The
 * heartbeat carries the exact numbers at least every 5 minutes, and the per-namespace counter rises, which change
 * every scan on a live node and are in the metrics every scan. Everything else (finding identities and
 * severities, conditions, sysctls, actions, applied policies, the spec generation) counts exactly. Pure.
 */
public final class StatusChange {
    static final long COUNT_SLACK = 5;
    static final double COUNT_RATIO = 0.10;

    /**
     * Fields that hold times or durations only, and the prose derived from the counted fields (a finding's
     * message says "for 42m" and its count; a condition's message quotes the worst finding).
     */
    private static final Set<String> TIME_ONLY = Set.of(
            "heartbeat",
            "time",
            "durationMillis",
            "ageSeconds",
            "lastTransitionTime",
            "message",
            "nextStep",
            "namespaceCounters",
            "namespaceCountersTruncated");
    /** Fields that hold counts that move on their own. */
    private static final Set<String> COUNTS = Set.of(
            "count",
            "sockets",
            "established",
            "synSent",
            "synRecv",
            "finWait1",
            "finWait2",
            "timeWait",
            "close",
            "closeWait",
            "lastAck",
            "listen",
            "closing",
            "ratio",
            "findingsTruncated");

    private final ObjectMapper json = new ObjectMapper();

    public boolean material(TcpHealthNodeStatus written, TcpHealthNodeStatus next) {
        if (written == null) {
            return true;
        }
        return differs(json.valueToTree(written), json.valueToTree(next), null);
    }

    private static boolean differs(JsonNode a, JsonNode b, String field) {
        if (field != null && TIME_ONLY.contains(field)) {
            return false;
        }
        if (a == null || a.isNull() || b == null || b.isNull()) {
            return !((a == null || a.isNull()) && (b == null || b.isNull()));
        }
        if (a.isNumber() && b.isNumber() && field != null && COUNTS.contains(field)) {
            return moved(a.asDouble(), b.asDouble(), field.equals("ratio"));
        }
        if (a.isObject() && b.isObject()) {
            ObjectNode oa = (ObjectNode) a;
            ObjectNode ob = (ObjectNode) b;
            for (Iterator<Map.Entry<String, JsonNode>> it = oa.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (differs(e.getValue(), ob.get(e.getKey()), e.getKey())) {
                    return true;
                }
            }
            for (Iterator<String> it = ob.fieldNames(); it.hasNext(); ) {
                String name = it.next();
                if (!oa.has(name) && differs(null, ob.get(name), name)) {
                    return true;
                }
            }
            return false;
        }
        if (a.isArray() && b.isArray()) {
            if (a.size() != b.size()) {
                return true;
            }
            for (int i = 0; i < a.size(); i++) {
                if (differs(a.get(i), b.get(i), null)) {
                    return true;
                }
            }
            return false;
        }
        return !a.equals(b);
    }

    private static boolean moved(double a, double b, boolean ratio) {
        double diff = Math.abs(a - b);
        if (ratio) {
            return diff > 0.05;
        }
        return diff > COUNT_SLACK && diff > COUNT_RATIO * Math.max(Math.abs(a), Math.abs(b));
    }
}
