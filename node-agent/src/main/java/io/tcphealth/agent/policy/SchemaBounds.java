package io.tcphealth.agent.policy;

import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Checks an API object against the bounds its own schema annotations declare ({@code @Min},
 * {@code @Max}, {@code @Size}, {@code @Pattern}, {@code @Required}): the limits the API server would
 * enforce for a custom resource are enforced here too for a policy read from a file, from the same
 * source, so the two cannot drift apart. CEL rules are not evaluated here; {@link PolicyValidator}
 * checks them in Java.
 */
final class SchemaBounds {
    private static final String API_PACKAGE = "io.tcphealth.api.v1alpha1";

    private SchemaBounds() {
    }

    /** Problems found under {@code value}, each starting with the field's path such as {@code spec.interval}. */
    static List<String> check(String path, Object value) {
        List<String> problems = new ArrayList<>();
        walk(path, value, problems);
        return problems;
    }

    private static void walk(String path, Object value, List<String> problems) {
        if (value == null || !value.getClass().getPackageName().equals(API_PACKAGE) || value.getClass().isEnum()) {
            return;
        }
        for (Class<?> c = value.getClass(); c != null && c.getPackageName().equals(API_PACKAGE); c = c.getSuperclass()) {
            for (Field f : c.getDeclaredFields()) {
                if (Modifier.isStatic(f.getModifiers())) {
                    continue;
                }
                f.setAccessible(true);
                Object v;
                try {
                    v = f.get(value);
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException("Cannot read " + f, e);
                }
                String at = path + "." + f.getName();
                checkField(at, f, v, problems);
                if (v instanceof Collection<?> list) {
                    int i = 0;
                    for (Object item : list) {
                        walk(at + "[" + i++ + "]", item, problems);
                    }
                } else {
                    walk(at, v, problems);
                }
            }
        }
    }

    private static void checkField(String at, Field f, Object v, List<String> problems) {
        if (v == null) {
            if (f.isAnnotationPresent(Required.class)) {
                problems.add(at + ": required");
            }
            return;
        }
        Min min = f.getAnnotation(Min.class);
        if (min != null && v instanceof Number n
                && (min.inclusive() ? n.doubleValue() < min.value() : n.doubleValue() <= min.value())) {
            problems.add(at + ": " + v + " is below the minimum " + number(min.value()));
        }
        Max max = f.getAnnotation(Max.class);
        if (max != null && v instanceof Number n
                && (max.inclusive() ? n.doubleValue() > max.value() : n.doubleValue() >= max.value())) {
            problems.add(at + ": " + v + " is above the maximum " + number(max.value()));
        }
        Size size = f.getAnnotation(Size.class);
        if (size != null) {
            long length = v instanceof Collection<?> c ? c.size() : v instanceof String s ? s.length() : -1;
            if (length >= 0 && length < size.min()) {
                problems.add(at + ": needs at least " + size.min() + (v instanceof String ? " characters" : " entries"));
            }
            if (length >= 0 && size.max() > 0 && length > size.max()) {
                problems.add(at + ": at most " + size.max() + (v instanceof String ? " characters" : " entries") + " allowed, got " + length);
            }
        }
        Pattern pattern = f.getAnnotation(Pattern.class);
        if (pattern != null && v instanceof String s && !java.util.regex.Pattern.compile(pattern.value()).matcher(s).find()) {
            problems.add(at + ": '" + s + "' does not match " + pattern.value());
        }
    }

    private static String number(double d) {
        return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : Double.toString(d);
    }
}
