package io.tcphealth.api.v1alpha1;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.api.model.apiextensions.v1.ValidationRule;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/** What {@code kubectl explain} and {@code kubectl get} show comes from the committed CRDs. */
class SchemaDocumentationTest {

    static final List<Class<? extends HasMetadata>> KINDS = List.of(TcpHealthPolicy.class, TcpHealthNode.class);

    @ParameterizedTest
    @FieldSource("KINDS")
    void everyFieldHasADescription(Class<? extends HasMetadata> kind) {
        List<String> undocumented = new ArrayList<>();
        if (Crds.schema(kind).root().getDescription() == null) {
            undocumented.add("(the kind itself)");
        }
        collectUndocumented(Crds.schema(kind).root(), "", undocumented);

        assertThat(undocumented)
                .as("fields of %s without a description", kind.getSimpleName())
                .isEmpty();
    }

    @ParameterizedTest
    @FieldSource("KINDS")
    void everyCelRuleCompilesAndExplainsItself(Class<? extends HasMetadata> kind) {
        List<ValidationRule> rules = new ArrayList<>();
        collectRules(Crds.schema(kind).root(), rules);

        assertThat(rules).allSatisfy(rule -> {
            assertThat(new CelRule(rule.getRule()).expression()).isEqualTo(rule.getRule());
            assertThat(rule.getMessage()).as("message of %s", rule.getRule()).isNotBlank();
        });
        if (kind == TcpHealthPolicy.class) {
            assertThat(rules).hasSizeGreaterThanOrEqualTo(10);
        }
    }

    @Test
    void policyColumnsFormTheDashboard() {
        assertThat(columns(TcpHealthPolicy.class))
                .extracting(CustomResourceColumnDefinition::getName)
                .containsExactly(
                        "Mode", "Nodes", "Healthy", "CLOSE_WAIT", "FIN_WAIT1", "Orphans", "Zombies", "Ready", "Age");
    }

    @Test
    void nodeColumnsShowTheNode() {
        assertThat(columns(TcpHealthNode.class))
                .extracting(CustomResourceColumnDefinition::getName)
                .containsExactly("Policies", "CLOSE_WAIT", "FIN_WAIT1", "Orphans", "Zombies", "Healthy", "Last Scan");
    }

    @ParameterizedTest
    @FieldSource("KINDS")
    void everyColumnPointsAtAFieldOfTheRightType(Class<? extends HasMetadata> kind) {
        JSONSchemaProps root = Crds.schema(kind).root();
        for (CustomResourceColumnDefinition column : columns(kind)) {
            String path = column.getJsonPath();
            if (path.equals(".metadata.creationTimestamp")) {
                assertThat(column.getType()).isEqualTo("date");
                continue;
            }
            String conditionFilter = "[?(@.type==";
            if (path.contains(conditionFilter)) {
                // A filter on the conditions list: the list must exist and its items must have a status.
                JSONSchemaProps conditions = field(root, path.substring(0, path.indexOf(conditionFilter)));
                assertThat(StructuralSchema.properties(StructuralSchema.items(conditions)))
                        .containsKey("status");
                assertThat(path).endsWith("].status");
                continue;
            }
            JSONSchemaProps field = field(root, path);
            String expected = switch (column.getType()) {
                case "integer" -> "integer";
                case "date", "string" -> field.getType().equals("array") ? "array" : "string";
                default -> column.getType();
            };
            assertThat(field.getType())
                    .as("type of %s for column %s", path, column.getName())
                    .isEqualTo(expected);
        }
    }

    private static List<CustomResourceColumnDefinition> columns(Class<? extends HasMetadata> kind) {
        CustomResourceDefinition crd = Crds.committed(kind);
        return crd.getSpec().getVersions().get(0).getAdditionalPrinterColumns();
    }

    /** The schema of a simple path such as {@code .status.totals.closeWait}. */
    private static JSONSchemaProps field(JSONSchemaProps root, String path) {
        JSONSchemaProps current = root;
        for (String name : path.substring(1).split("\\.")) {
            Map<String, JSONSchemaProps> properties = StructuralSchema.properties(current);
            assertThat(properties).as("schema at %s", path).containsKey(name);
            current = properties.get(name);
        }
        return current;
    }

    private static void collectRules(JSONSchemaProps schema, List<ValidationRule> out) {
        if (schema.getXKubernetesValidations() != null) {
            out.addAll(schema.getXKubernetesValidations());
        }
        StructuralSchema.properties(schema).values().forEach(child -> collectRules(child, out));
        if (StructuralSchema.items(schema) != null) {
            collectRules(StructuralSchema.items(schema), out);
        }
    }

    private static void collectUndocumented(JSONSchemaProps schema, String path, List<String> out) {
        StructuralSchema.properties(schema).forEach((name, child) -> {
            String childPath = path.isEmpty() ? name : path + "." + name;
            if (child.getDescription() == null || child.getDescription().isBlank()) {
                out.add(childPath);
            }
            collectUndocumented(child, childPath, out);
        });
        if (StructuralSchema.items(schema) != null) {
            collectUndocumented(StructuralSchema.items(schema), path + "[]", out);
        }
    }
}
