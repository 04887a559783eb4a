package io.tcphealth.api.v1alpha1;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.introspect.BeanPropertyDefinition;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.client.CustomResource;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The operator and the agent write a status or a spec only when the new model object is not {@code equals} to the
 * old one, so equals and hashCode must cover every field: a field left out means a change that is never written.
 * For every model class of the package (found on the class path, so a new class is checked without being listed),
 * two instances are read from the same generated JSON, then each property in turn is given another value, which
 * must make the objects unequal and change the hash.
 */
class ModelEqualityTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int DEPTH = 6;

    /** The package's classes whose instances are API data: public, concrete, made by Jackson, not resources. */
    static Stream<Class<?>> modelClasses() throws IOException, URISyntaxException, ClassNotFoundException {
        Path dir = Path.of(ConditionTypes.class
                        .getProtectionDomain()
                        .getCodeSource()
                        .getLocation()
                        .toURI())
                .resolve(ConditionTypes.class.getPackageName().replace('.', '/'));
        List<Class<?>> models = new java.util.ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.sorted().toList()) {
                String name = file.getFileName().toString();
                if (!name.endsWith(".class") || name.contains("$") || name.equals("package-info.class")) {
                    continue;
                }
                Class<?> type = Class.forName(
                        ConditionTypes.class.getPackageName() + "." + name.substring(0, name.length() - 6));
                if (isModel(type)) {
                    models.add(type);
                }
            }
        }
        return models.stream();
    }

    private static boolean isModel(Class<?> type) {
        if (type.isEnum()
                || type.isInterface()
                || type.isRecord()
                || Modifier.isAbstract(type.getModifiers())
                || !Modifier.isPublic(type.getModifiers())
                || CustomResource.class.isAssignableFrom(type)) {
            return false;
        }
        try {
            return Modifier.isPublic(type.getConstructor().getModifiers());
        } catch (NoSuchMethodException constantsOnly) {
            return false;
        }
    }

    @Test
    void theStatusAndSpecClassesAreAmongTheCheckedOnes() throws Exception {
        assertThat(modelClasses().toList())
                .contains(
                        TcpHealthNodeStatus.class,
                        TcpHealthNodeSpec.class,
                        TcpHealthPolicyStatus.class,
                        TcpHealthPolicySpec.class,
                        NodeFinding.class,
                        Thresholds.class,
                        EffectiveThresholds.class,
                        Sourced.class)
                .hasSizeGreaterThanOrEqualTo(25);
    }

    @ParameterizedTest
    @MethodSource("modelClasses")
    void declaresItsOwnEqualsAndHashCode(Class<?> type) throws NoSuchMethodException {
        assertThat(type.getDeclaredMethod("equals", Object.class)).isNotNull();
        assertThat(type.getDeclaredMethod("hashCode")).isNotNull();
    }

    @ParameterizedTest
    @MethodSource("modelClasses")
    void everyFieldIsAJsonPropertyTheTestCanVary(Class<?> type) {
        Set<String> backed = new HashSet<>();
        for (BeanPropertyDefinition property : properties(JSON.constructType(type))) {
            if (property.getField() != null) {
                backed.add(property.getField().getName());
            }
            backed.add(property.getInternalName());
        }
        for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
            for (Field field : c.getDeclaredFields()) {
                if (!Modifier.isStatic(field.getModifiers()) && !field.isSynthetic()) {
                    assertThat(backed)
                            .as("%s.%s is not read from JSON, so equality is not checked for it", type, field)
                            .contains(field.getName());
                }
            }
        }
    }

    @ParameterizedTest
    @MethodSource("modelClasses")
    void equalsAndHashCodeCoverEveryProperty(Class<?> type) throws IOException {
        JavaType javaType = JSON.constructType(type);
        ObjectNode json = (ObjectNode) value(javaType, 1, 0);
        Object one = JSON.treeToValue(json, type);
        Object same = JSON.treeToValue(json, type);

        assertThat(one).isEqualTo(same).hasSameHashCodeAs(same).isNotEqualTo(null);
        assertThat(one.equals(new Object())).isFalse();
        assertThat(JSON.readValue(JSON.writeValueAsString(one), type))
                .as("%s read back from its own JSON", type.getSimpleName())
                .isEqualTo(one);

        List<BeanPropertyDefinition> properties = properties(javaType);
        assertThat(properties).as("properties of %s", type).isNotEmpty();
        for (BeanPropertyDefinition property : properties) {
            ObjectNode changed = json.deepCopy();
            changed.set(property.getName(), value(property.getPrimaryType(), 2, 1));
            Object other = JSON.treeToValue(changed, type);
            assertThat(JSON.valueToTree(other).get(property.getName()))
                    .as("the changed %s.%s reaches the object", type.getSimpleName(), property.getName())
                    .isNotEqualTo(JSON.valueToTree(one).get(property.getName()));
            assertThat(other)
                    .as("%s.equals ignores %s", type.getSimpleName(), property.getName())
                    .isNotEqualTo(one);
            assertThat(other.hashCode())
                    .as("%s.hashCode ignores %s", type.getSimpleName(), property.getName())
                    .isNotEqualTo(one.hashCode());
        }
    }

    private static List<BeanPropertyDefinition> properties(JavaType type) {
        BeanDescription description = JSON.getDeserializationConfig().introspect(type);
        return description.findProperties();
    }

    /** A value of {@code type}: the same for the same seed, different for another (seeds 1 and 2). */
    private static JsonNode value(JavaType type, int seed, int depth) {
        Class<?> raw = type.getRawClass();
        if (raw == String.class || raw == Object.class) {
            return JSON.getNodeFactory().textNode("v" + seed);
        }
        if (raw == int.class || raw == Integer.class || raw == long.class || raw == Long.class) {
            return JSON.getNodeFactory().numberNode(seed);
        }
        if (raw == double.class || raw == Double.class || raw == float.class || raw == Float.class) {
            return JSON.getNodeFactory().numberNode(seed / 4.0);
        }
        if (raw == boolean.class || raw == Boolean.class) {
            return JSON.getNodeFactory().booleanNode(seed == 1);
        }
        if (raw.isEnum()) {
            Object[] constants = raw.getEnumConstants();
            assertThat(constants).as("%s has two values to tell apart", raw).hasSizeGreaterThan(1);
            return JSON.valueToTree(constants[seed % constants.length]);
        }
        if (type.isCollectionLikeType() || type.isArrayType()) {
            ArrayNode array = JSON.createArrayNode();
            array.add(value(type.getContentType(), seed, depth + 1));
            return array;
        }
        if (type.isMapLikeType()) {
            ObjectNode map = JSON.createObjectNode();
            map.set("key", value(type.getContentType(), seed, depth + 1));
            return map;
        }
        assertThat(depth).as("nesting of %s", type).isLessThan(DEPTH);
        ObjectNode object = JSON.createObjectNode();
        for (BeanPropertyDefinition property : properties(type)) {
            object.set(property.getName(), value(property.getPrimaryType(), seed, depth + 1));
        }
        return object;
    }
}
