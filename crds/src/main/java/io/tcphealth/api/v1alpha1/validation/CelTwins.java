package io.tcphealth.api.v1alpha1.validation;

import io.fabric8.generator.annotation.ValidationRule;
import io.tcphealth.api.v1alpha1.CelRules;
import io.tcphealth.api.v1alpha1.GoDuration;
import io.tcphealth.api.v1alpha1.PolicyDefaults;
import io.tcphealth.api.v1alpha1.Thresholds;
import java.time.Duration;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Matcher;

/**
 * The CEL rules of the schema, evaluated in Java for policies that never pass an API server (policy files,
 * specs the operator merges). Duration comparisons ({@code duration(self) >= duration('30s')}, joined by
 * {@code &&}) are read from the rule text itself; every other rule has its twin here, keyed by the same
 * {@link CelRules} constant the annotation uses. A rule with neither is a programming error, raised on first
 * use and by the crds module's tests, never skipped.
 */
final class CelTwins {
    private static final java.util.regex.Pattern COMPARISON =
            java.util.regex.Pattern.compile("duration\\(self\\) (<=|>=|<|>|==) duration\\('([^']+)'\\)");
    private static final java.util.regex.Pattern WHOLE = java.util.regex.Pattern.compile(GoDuration.PATTERN);
    private static final Set<String> CLOSING_STATES =
            Set.of("CLOSE_WAIT", "FIN_WAIT1", "FIN_WAIT2", "LAST_ACK", "CLOSING");

    private static final Map<String, Predicate<Object>> TWINS = Map.of(
            CelRules.UNIQUE,
                    self -> new HashSet<>(list(self)).size() == list(self).size(),
            CelRules.CLOSING_STATES, self -> list(self).stream().allMatch(s -> CLOSING_STATES.contains(s.toString())),
            CelRules.COMMAND_NAMES,
                    self -> list(self).stream()
                            .allMatch(
                                    p -> !p.toString().isEmpty() && p.toString().length() <= 15),
            CelRules.ORPHAN_RATIOS_ORDERED,
                    self -> {
                        Thresholds t = (Thresholds) self;
                        double warning = t.getOrphanRatioWarning() == null
                                ? PolicyDefaults.ORPHAN_RATIO_WARNING
                                : t.getOrphanRatioWarning();
                        double critical = t.getOrphanRatioCritical() == null
                                ? PolicyDefaults.ORPHAN_RATIO_CRITICAL
                                : t.getOrphanRatioCritical();
                        return warning < critical;
                    },
            CelRules.EPHEMERAL_PORT_RATIOS_ORDERED,
                    self -> {
                        Thresholds t = (Thresholds) self;
                        double warning = t.getEphemeralPortRatioWarning() == null
                                ? PolicyDefaults.EPHEMERAL_PORT_RATIO_WARNING
                                : t.getEphemeralPortRatioWarning();
                        double critical = t.getEphemeralPortRatioCritical() == null
                                ? PolicyDefaults.EPHEMERAL_PORT_RATIO_CRITICAL
                                : t.getEphemeralPortRatioCritical();
                        return warning < critical;
                    });

    private CelTwins() {}

    /** The rule's message when {@code self} breaks it, empty when it holds. */
    static Optional<String> violation(ValidationRule rule, Object self) {
        try {
            return holds(rule.value(), self) ? Optional.empty() : Optional.of(rule.message());
        } catch (IllegalArgumentException e) {
            return Optional.of(e.getMessage());
        }
    }

    /** Whether this rule can be evaluated here; false means it has no Java twin. */
    static boolean known(String rule) {
        return TWINS.containsKey(rule) || comparisons(rule) != null;
    }

    private static boolean holds(String rule, Object self) {
        Predicate<Object> twin = TWINS.get(rule);
        if (twin != null) {
            return twin.test(self);
        }
        List<String[]> comparisons = comparisons(rule);
        if (comparisons == null) {
            throw new IllegalStateException("CEL rule without a Java twin in CelTwins: " + rule);
        }
        // The guard: a malformed duration is reported by the field's pattern, not by this rule.
        if (!(self instanceof String text) || !WHOLE.matcher(text).matches()) {
            return true;
        }
        Duration value = GoDuration.parse(text);
        for (String[] c : comparisons) {
            int order = value.compareTo(GoDuration.parse(c[1]));
            boolean ok = switch (c[0]) {
                case "<" -> order < 0;
                case "<=" -> order <= 0;
                case ">" -> order > 0;
                case ">=" -> order >= 0;
                default -> order == 0;
            };
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    /** {@code [operator, bound]} for each part of a guarded duration rule; null when the rule is of another form. */
    private static List<String[]> comparisons(String rule) {
        if (!rule.startsWith(GoDuration.RULE_GUARD)) {
            return null;
        }
        String[] parts = rule.substring(GoDuration.RULE_GUARD.length()).split(" && ");
        String[][] out = new String[parts.length][];
        for (int i = 0; i < parts.length; i++) {
            Matcher m = COMPARISON.matcher(parts[i].strip());
            if (!m.matches()) {
                return null;
            }
            out[i] = new String[] {m.group(1), m.group(2)};
        }
        return List.of(out);
    }

    private static Collection<?> list(Object self) {
        return (Collection<?>) self;
    }
}
