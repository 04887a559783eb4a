package io.tcphealth.operator.status;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.tcphealth.api.v1alpha1.ConditionTypes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** Standard conditions whose transition time moves only when their status does. */
public final class Conditions {

    public static final String READY = ConditionTypes.READY;
    public static final String DEGRADED = ConditionTypes.DEGRADED;
    public static final String CONFLICT = ConditionTypes.CONFLICT;

    private Conditions() {}

    public static Condition of(String type, boolean status, String reason, String message, Long generation) {
        return new ConditionBuilder()
                .withType(type)
                .withStatus(status ? "True" : "False")
                .withReason(reason)
                .withMessage(message)
                .withObservedGeneration(generation)
                .build();
    }

    /**
     * The new conditions, each keeping the previous transition time when its status did not change and
     * taking {@code now} when it did (or is new).
     */
    public static List<Condition> carryTransitions(List<Condition> previous, List<Condition> next, Instant now) {
        List<Condition> out = new ArrayList<>();
        for (Condition condition : next) {
            Condition before = find(previous, condition.getType());
            String since = before != null
                            && Objects.equals(before.getStatus(), condition.getStatus())
                            && before.getLastTransitionTime() != null
                    ? before.getLastTransitionTime()
                    : now.toString();
            out.add(new ConditionBuilder(condition)
                    .withLastTransitionTime(since)
                    .build());
        }
        return out;
    }

    public static Condition find(List<Condition> conditions, String type) {
        if (conditions == null) {
            return null;
        }
        return conditions.stream()
                .filter(c -> type.equals(c.getType()))
                .findFirst()
                .orElse(null);
    }

    public static boolean isTrue(List<Condition> conditions, String type) {
        Condition condition = find(conditions, type);
        return condition != null && "True".equals(condition.getStatus());
    }
}
