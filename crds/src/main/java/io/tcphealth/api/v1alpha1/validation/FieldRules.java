package io.tcphealth.api.v1alpha1.validation;

import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.AnnotatedParameterizedType;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * Checks an API object against the rules its own schema annotations declare: {@code @Min}, {@code @Max},
 * {@code @Size}, {@code @Pattern}, {@code @Required} (on fields and on list entries) and every
 * {@code @ValidationRule} (through {@link CelTwins}). These annotations are what the CRD generator turns into
 * the schema, so a policy checked here meets exactly the limits the API server enforces for the custom
 * resource, from the same source.
 */
final class FieldRules {
    private static final String API_PACKAGE = "io.tcphealth.api.v1alpha1";

    private FieldRules() {}

    /** Problems found under {@code value}, each starting with the field's path such as {@code spec.interval}. */
    static List<String> check(String path, Object value) {
        List<String> problems = new ArrayList<>();
        walk(path, value, problems);
        // Two rules of one field (at least, at most) both fail on a duration too long to read: say it once.
        return List.copyOf(new LinkedHashSet<>(problems));
    }

    private static void walk(String path, Object value, List<String> problems) {
        if (value == null
                || !value.getClass().getPackageName().equals(API_PACKAGE)
                || value.getClass().isEnum()) {
            return;
        }
        for (ValidationRule rule : value.getClass().getAnnotationsByType(ValidationRule.class)) {
            CelTwins.violation(rule, value).ifPresent(message -> problems.add(path + ": " + message));
        }
        for (Class<?> c = value.getClass();
                c != null && c.getPackageName().equals(API_PACKAGE);
                c = c.getSuperclass()) {
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
                int before = problems.size();
                bounds(at, f, v, problems);
                if (v instanceof Collection<?> list) {
                    AnnotatedElement entry = f.getAnnotatedType() instanceof AnnotatedParameterizedType p
                            ? p.getAnnotatedActualTypeArguments()[0]
                            : null;
                    int i = 0;
                    for (Object item : list) {
                        String itemPath = at + "[" + i++ + "]";
                        if (item == null) {
                            problems.add(itemPath + ": an entry is empty");
                        } else if (entry != null) {
                            bounds(itemPath, entry, item, problems);
                        }
                        walk(itemPath, item, problems);
                    }
                } else {
                    walk(at, v, problems);
                }
                // The API server evaluates a field's CEL rules only once its own schema holds.
                if (v != null && problems.size() == before) {
                    for (ValidationRule rule : f.getAnnotationsByType(ValidationRule.class)) {
                        CelTwins.violation(rule, v).ifPresent(message -> problems.add(at + ": " + message));
                    }
                }
            }
        }
    }

    private static void bounds(String at, AnnotatedElement f, Object v, List<String> problems) {
        if (v == null) {
            if (f.isAnnotationPresent(Required.class)) {
                problems.add(at + ": required");
            }
            return;
        }
        Min min = f.getAnnotation(Min.class);
        if (min != null
                && v instanceof Number n
                && (min.inclusive() ? n.doubleValue() < min.value() : n.doubleValue() <= min.value())) {
            problems.add(at + ": " + v + " is below the " + (min.inclusive() ? "minimum " : "exclusive minimum ")
                    + number(min.value()));
        }
        Max max = f.getAnnotation(Max.class);
        if (max != null
                && v instanceof Number n
                && (max.inclusive() ? n.doubleValue() > max.value() : n.doubleValue() >= max.value())) {
            problems.add(at + ": " + v + " is above the " + (max.inclusive() ? "maximum " : "exclusive maximum ")
                    + number(max.value()));
        }
        Size size = f.getAnnotation(Size.class);
        if (size != null) {
            long length = v instanceof Collection<?> c ? c.size() : v instanceof String s ? s.length() : -1;
            String unit = v instanceof String ? " characters" : " entries";
            if (length >= 0 && length < size.min()) {
                problems.add(at + ": needs at least " + size.min() + unit);
            }
            if (length >= 0 && size.max() > 0 && length > size.max()) {
                problems.add(at + ": at most " + size.max() + unit + " allowed, got " + length);
            }
        }
        Pattern pattern = f.getAnnotation(Pattern.class);
        if (pattern != null
                && v instanceof String s
                && !java.util.regex.Pattern.compile(pattern.value()).matcher(s).find()) {
            problems.add(at + ": '" + s + "' does not match " + pattern.value());
        }
    }

    private static String number(double d) {
        return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : Double.toString(d);
    }
}
