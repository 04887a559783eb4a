package io.tcphealth.api.v1alpha1;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.api.model.apiextensions.v1.ValidationRule;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * What the API server does with a custom resource against a CRD's structural schema, in its order: apply
 * defaults, then check types, unknown fields (as kubectl's strict field validation does), required fields,
 * enums, bounds, patterns, lengths and item counts, and evaluate the {@code x-kubernetes-validations} CEL rules.
 * Written for the features the tcphealth CRDs use; anything else in a schema is rejected so a new feature is
 * not silently skipped.
 */
public final class StructuralSchema {

    private static final Set<String> ROOT_FIELDS = Set.of("apiVersion", "kind", "metadata");
    private static final Set<String> KNOWN_KEYWORDS = Set.of(
            "type",
            "description",
            "properties",
            "required",
            "items",
            "additionalProperties",
            "enum",
            "default",
            "minimum",
            "maximum",
            "exclusiveMinimum",
            "exclusiveMaximum",
            "pattern",
            "minLength",
            "maxLength",
            "minItems",
            "maxItems",
            "x-kubernetes-validations");

    /** The API server's words when a type or enum error keeps it from evaluating CEL rules. */
    static final String NOT_CHECKED = "some validation rules were not checked because the object was invalid; "
            + "correct the existing errors to complete validation";

    private final JSONSchemaProps root;
    private final Map<String, CelRule> rules = new HashMap<>();

    private StructuralSchema(JSONSchemaProps root) {
        this.root = root;
        rejectUnsupportedKeywords(root, "");
    }

    static StructuralSchema of(CustomResourceDefinition crd, String version) {
        CustomResourceDefinitionVersion served = crd.getSpec().getVersions().stream()
                .filter(v -> v.getName().equals(version))
                .findFirst()
                .orElseThrow(
                        () -> new IllegalArgumentException(crd.getMetadata().getName() + " has no version " + version));
        return new StructuralSchema(served.getSchema().getOpenAPIV3Schema());
    }

    JSONSchemaProps root() {
        return root;
    }

    /** A copy of the object with the schema's defaults applied, as the API server stores it. */
    public JsonNode withDefaults(JsonNode object) {
        JsonNode copy = object.deepCopy();
        applyDefaults(copy, root);
        return copy;
    }

    /**
     * Defaults, then validates; empty when the API server would accept the object. Like the API server, CEL
     * rules are not evaluated when a value has the wrong type or is not one of its enum's values.
     */
    public List<SchemaViolation> admit(JsonNode object) {
        JsonNode defaulted = withDefaults(object);
        List<SchemaViolation> violations = new ArrayList<>();
        boolean blocking = validate(defaulted, root, "", violations);
        if (blocking) {
            violations.add(new SchemaViolation("", NOT_CHECKED));
        } else {
            evaluateRules(defaulted, root, "", violations);
        }
        return violations;
    }

    private void applyDefaults(JsonNode node, JSONSchemaProps schema) {
        if (node instanceof ObjectNode object) {
            Map<String, JSONSchemaProps> properties = properties(schema);
            properties.forEach((name, property) -> {
                if (property.getDefault() != null
                        && (!object.has(name) || object.get(name).isNull())) {
                    object.set(name, property.getDefault().deepCopy());
                }
            });
            object.properties().forEach(field -> {
                JSONSchemaProps child = properties.containsKey(field.getKey())
                        ? properties.get(field.getKey())
                        : additionalProperties(schema);
                if (child != null) {
                    applyDefaults(field.getValue(), child);
                }
            });
        } else if (node instanceof ArrayNode array && items(schema) != null) {
            array.forEach(item -> applyDefaults(item, items(schema)));
        }
    }

    /** Schema checks; returns whether a type or enum error was found. */
    private boolean validate(JsonNode node, JSONSchemaProps schema, String path, List<SchemaViolation> out) {
        String type = schema.getType();
        if (!hasType(node, type)) {
            out.add(new SchemaViolation(path, "Invalid value: " + node + ": must be of type " + type));
            return true;
        }
        boolean blocking = false;
        if (schema.getEnum() != null
                && !schema.getEnum().isEmpty()
                && !schema.getEnum().contains(node)) {
            String supported = schema.getEnum().stream().map(JsonNode::toString).collect(Collectors.joining(", "));
            out.add(new SchemaViolation(path, "Unsupported value: " + node + ": supported values: " + supported));
            blocking = true;
        }
        return switch (type) {
            case "integer", "number" -> {
                checkBounds(node, schema, path, out);
                yield blocking;
            }
            case "string" -> {
                checkString(node.textValue(), schema, path, out);
                yield blocking;
            }
            case "array" -> checkArray((ArrayNode) node, schema, path, out) || blocking;
            case "object" -> checkObject((ObjectNode) node, schema, path, out) || blocking;
            default -> blocking;
        };
    }

    private void evaluateRules(JsonNode node, JSONSchemaProps schema, String path, List<SchemaViolation> out) {
        if (node instanceof ObjectNode object) {
            Map<String, JSONSchemaProps> properties = properties(schema);
            object.properties().forEach(field -> {
                JSONSchemaProps child = properties.containsKey(field.getKey())
                        ? properties.get(field.getKey())
                        : additionalProperties(schema);
                if (child != null) {
                    evaluateRules(field.getValue(), child, join(path, field.getKey()), out);
                }
            });
        } else if (node instanceof ArrayNode array) {
            for (int i = 0; i < array.size(); i++) {
                evaluateRules(array.get(i), items(schema), path + "[" + i + "]", out);
            }
        }
        List<ValidationRule> celRules = schema.getXKubernetesValidations();
        if (celRules != null) {
            Object self = toCel(node, schema);
            for (ValidationRule rule : celRules) {
                CelRule compiled = rules.computeIfAbsent(rule.getRule(), CelRule::new);
                try {
                    if (!compiled.holdsFor(self)) {
                        String message =
                                rule.getMessage() != null ? rule.getMessage() : "failed rule: " + rule.getRule();
                        out.add(new SchemaViolation(path, "Invalid value: " + message));
                    }
                } catch (Exception e) {
                    out.add(new SchemaViolation(
                            path, "rule evaluation error: " + rule.getRule() + ": " + e.getMessage()));
                }
            }
        }
    }

    private static boolean hasType(JsonNode node, String type) {
        return switch (type) {
            case "object" -> node.isObject();
            case "array" -> node.isArray();
            case "string" -> node.isTextual();
            case "integer" -> node.isIntegralNumber();
            case "number" -> node.isNumber();
            case "boolean" -> node.isBoolean();
            default -> throw new IllegalStateException("Schema type not handled: " + type);
        };
    }

    private static void checkBounds(JsonNode node, JSONSchemaProps schema, String path, List<SchemaViolation> out) {
        double value = node.doubleValue();
        boolean exclusiveMinimum = Boolean.TRUE.equals(schema.getExclusiveMinimum());
        if (schema.getMinimum() != null
                && (exclusiveMinimum ? value <= schema.getMinimum() : value < schema.getMinimum())) {
            out.add(new SchemaViolation(
                    path,
                    "Invalid value: " + node + ": should be greater than " + (exclusiveMinimum ? "" : "or equal to ")
                            + plain(schema.getMinimum())));
        }
        boolean exclusiveMaximum = Boolean.TRUE.equals(schema.getExclusiveMaximum());
        if (schema.getMaximum() != null
                && (exclusiveMaximum ? value >= schema.getMaximum() : value > schema.getMaximum())) {
            out.add(new SchemaViolation(
                    path,
                    "Invalid value: " + node + ": should be less than " + (exclusiveMaximum ? "" : "or equal to ")
                            + plain(schema.getMaximum())));
        }
    }

    private static void checkString(String text, JSONSchemaProps schema, String path, List<SchemaViolation> out) {
        int length = text.codePointCount(0, text.length());
        if (schema.getMaxLength() != null && length > schema.getMaxLength()) {
            out.add(new SchemaViolation(path, "Too long: may not be more than " + schema.getMaxLength() + " bytes"));
        }
        if (schema.getMinLength() != null && length < schema.getMinLength()) {
            out.add(new SchemaViolation(
                    path,
                    "Invalid value: \"" + text + "\": should be at least " + schema.getMinLength() + " chars long"));
        }
        if (schema.getPattern() != null
                && !Pattern.compile(schema.getPattern()).matcher(text).find()) {
            out.add(new SchemaViolation(
                    path, "Invalid value: \"" + text + "\": should match '" + schema.getPattern() + "'"));
        }
    }

    private boolean checkArray(ArrayNode array, JSONSchemaProps schema, String path, List<SchemaViolation> out) {
        if (schema.getMaxItems() != null && array.size() > schema.getMaxItems()) {
            out.add(new SchemaViolation(
                    path, "Too many: " + array.size() + ": must have at most " + schema.getMaxItems() + " items"));
        }
        if (schema.getMinItems() != null && array.size() < schema.getMinItems()) {
            out.add(new SchemaViolation(
                    path,
                    "Invalid value: " + array.size() + ": should have at least " + schema.getMinItems() + " items"));
        }
        JSONSchemaProps items = items(schema);
        boolean blocking = false;
        for (int i = 0; i < array.size(); i++) {
            blocking |= validate(array.get(i), items, path + "[" + i + "]", out);
        }
        return blocking;
    }

    private boolean checkObject(ObjectNode object, JSONSchemaProps schema, String path, List<SchemaViolation> out) {
        Map<String, JSONSchemaProps> properties = properties(schema);
        JSONSchemaProps additional = additionalProperties(schema);
        if (schema.getRequired() != null) {
            for (String name : schema.getRequired()) {
                if (!object.has(name)) {
                    out.add(new SchemaViolation(join(path, name), "Required value"));
                }
            }
        }
        boolean blocking = false;
        Iterator<Map.Entry<String, JsonNode>> fields = object.properties().iterator();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            String name = field.getKey();
            if (properties.containsKey(name)) {
                blocking |= validate(field.getValue(), properties.get(name), join(path, name), out);
            } else if (additional != null) {
                blocking |= validate(field.getValue(), additional, join(path, name), out);
            } else if (!(schema == root && ROOT_FIELDS.contains(name))) {
                out.add(new SchemaViolation(join(path, name), "unknown field \"" + join(path, name) + "\""));
            }
        }
        return blocking;
    }

    /** The value as the API server hands it to CEL: typed by the schema, so a YAML 1 in a number field is 1.0. */
    private static Object toCel(JsonNode node, JSONSchemaProps schema) {
        return switch (schema.getType()) {
            case "integer" -> node.longValue();
            case "number" -> node.doubleValue();
            case "string" -> node.textValue();
            case "boolean" -> node.booleanValue();
            case "array" -> {
                List<Object> list = new ArrayList<>();
                node.forEach(item -> list.add(toCel(item, items(schema))));
                yield list;
            }
            case "object" -> {
                Map<String, Object> map = new LinkedHashMap<>();
                Map<String, JSONSchemaProps> properties = properties(schema);
                node.properties().forEach(field -> {
                    JSONSchemaProps child = properties.containsKey(field.getKey())
                            ? properties.get(field.getKey())
                            : additionalProperties(schema);
                    if (child != null && hasType(field.getValue(), child.getType())) {
                        map.put(field.getKey(), toCel(field.getValue(), child));
                    }
                });
                yield map;
            }
            default -> throw new IllegalStateException("Schema type not handled: " + schema.getType());
        };
    }

    private static void rejectUnsupportedKeywords(JSONSchemaProps schema, String path) {
        Map<String, Object> present = new LinkedHashMap<>();
        present.put("format", schema.getFormat());
        present.put("nullable", schema.getNullable());
        present.put("x-kubernetes-preserve-unknown-fields", schema.getXKubernetesPreserveUnknownFields());
        present.put("x-kubernetes-int-or-string", schema.getXKubernetesIntOrString());
        present.put("oneOf", schema.getOneOf() == null || schema.getOneOf().isEmpty() ? null : schema.getOneOf());
        present.put("anyOf", schema.getAnyOf() == null || schema.getAnyOf().isEmpty() ? null : schema.getAnyOf());
        present.put("allOf", schema.getAllOf() == null || schema.getAllOf().isEmpty() ? null : schema.getAllOf());
        present.put("uniqueItems", schema.getUniqueItems());
        present.put("multipleOf", schema.getMultipleOf());
        present.put("x-kubernetes-list-type", schema.getXKubernetesListType());
        present.forEach((keyword, value) -> {
            if (value != null) {
                throw new IllegalStateException("Schema keyword " + keyword + " at '" + path + "' is not handled by "
                        + "this validator; teach it before relying on it (supported: " + KNOWN_KEYWORDS + ")");
            }
        });
        properties(schema).forEach((name, child) -> rejectUnsupportedKeywords(child, join(path, name)));
        if (items(schema) != null) {
            rejectUnsupportedKeywords(items(schema), path + "[]");
        }
        if (additionalProperties(schema) != null) {
            rejectUnsupportedKeywords(additionalProperties(schema), path + "{}");
        }
    }

    static Map<String, JSONSchemaProps> properties(JSONSchemaProps schema) {
        return schema.getProperties() == null ? Map.of() : schema.getProperties();
    }

    static JSONSchemaProps items(JSONSchemaProps schema) {
        return schema.getItems() == null ? null : schema.getItems().getSchema();
    }

    static JSONSchemaProps additionalProperties(JSONSchemaProps schema) {
        return schema.getAdditionalProperties() == null
                ? null
                : schema.getAdditionalProperties().getSchema();
    }

    private static String join(String path, String name) {
        return path.isEmpty() ? name : path + "." + name;
    }

    private static String plain(double bound) {
        return bound == Math.rint(bound) ? Long.toString((long) bound) : Double.toString(bound);
    }
}
