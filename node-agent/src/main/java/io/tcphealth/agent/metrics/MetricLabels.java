package io.tcphealth.agent.metrics;

import java.util.Locale;

/**
 * Label values as Prometheus names things: lower case with underscores. {@code CLOSE_WAIT} becomes
 * {@code close_wait}, {@code CloseWaitLeak} {@code close_wait_leak}, {@code Critical} {@code critical}.
 */
public final class MetricLabels {

    private MetricLabels() {}

    public static String of(String name) {
        if (name == null) {
            return "unknown";
        }
        StringBuilder out = new StringBuilder(name.length() + 8);
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean boundary = Character.isUpperCase(c)
                    && i > 0
                    && (Character.isLowerCase(name.charAt(i - 1)) || Character.isDigit(name.charAt(i - 1)));
            if (boundary) {
                out.append('_');
            }
            out.append(c == '-' ? '_' : Character.toLowerCase(c));
        }
        return out.toString().toLowerCase(Locale.ROOT);
    }

    public static String of(Enum<?> e) {
        return e == null ? "unknown" : of(e.name());
    }
}
