package io.tcphealth.apitest;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.StatusCause;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.FieldValidateable;
import io.tcphealth.testsupport.ProjectFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The committed CRDs on a real API server: they install and become Established, {@code kubectl explain} shows
 * their descriptions, every example passes strict server-side validation, and every policy of the invalid set is
 * refused by the server itself (OpenAPI schema and CEL rules) for the reasons its {@code # expect:} lines name.
 */
class CrdIT {

    private static final String EXPECT = "# expect: ";
    private static final Pattern UNKNOWN_FIELD = Pattern.compile("unknown field \"([^\"]+)\"");
    private static ControlPlane plane;

    @BeforeAll
    static void start() {
        plane = SharedControlPlane.get();
    }

    @Test
    void committedCrdsAreEstablishedWithStructuralSchemas() {
        for (String name : SharedControlPlane.CRDS) {
            CustomResourceDefinition crd = plane.admin()
                    .apiextensions()
                    .v1()
                    .customResourceDefinitions()
                    .withName(name)
                    .get();
            assertThat(crd.getStatus().getConditions())
                    .as(name)
                    .anySatisfy(c -> {
                        assertThat(c.getType()).isEqualTo("Established");
                        assertThat(c.getStatus()).isEqualTo("True");
                    })
                    .anySatisfy(c -> {
                        assertThat(c.getType()).isEqualTo("NamesAccepted");
                        assertThat(c.getStatus()).isEqualTo("True");
                    })
                    .noneSatisfy(c -> assertThat(c.getType()).isEqualTo("NonStructuralSchema"));
        }
        assertThat(plane.kubectl().ok("api-resources", "--api-group=tcphealth.io"))
                .containsPattern("tcphealthnodes\\s+thn\\s+tcphealth.io/v1alpha1\\s+false\\s+TcpHealthNode")
                .containsPattern(
                        "tcphealthpolicies\\s+tcphealth,thp\\s+tcphealth.io/v1alpha1\\s+false\\s+TcpHealthPolicy");
    }

    static Stream<String> explainedPaths() {
        return Stream.of(
                "tcphealthpolicies.spec",
                "tcphealthpolicies.spec.thresholds",
                "tcphealthpolicies.spec.sysctls",
                "tcphealthpolicies.spec.remediation",
                "tcphealthpolicies.spec.remediation.killSockets",
                "tcphealthpolicies.status",
                "tcphealthnodes.spec",
                "tcphealthnodes.status",
                "tcphealthnodes.status.findings");
    }

    @ParameterizedTest
    @MethodSource("explainedPaths")
    void kubectlExplainShowsEveryFieldsDescription(String path) throws IOException {
        String explained = oneLine(plane.kubectl().ok("explain", path));
        JSONSchemaProps schema = schemaAt(path);
        assertThat(schema.getProperties()).as(path).isNotEmpty();
        for (Map.Entry<String, JSONSchemaProps> field : schema.getProperties().entrySet()) {
            String description = field.getValue().getDescription();
            assertThat(description)
                    .as("%s.%s has a description", path, field.getKey())
                    .isNotBlank();
            assertThat(explained)
                    .as("kubectl explain %s shows %s's description", path, field.getKey())
                    .contains(field.getKey())
                    .contains(oneLine(description));
        }
    }

    static List<Path> examples() throws IOException {
        try (Stream<Path> files = Files.list(ProjectFiles.file("examples"))) {
            return files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
        }
    }

    @ParameterizedTest
    @MethodSource("examples")
    void examplePassesStrictServerSideValidation(Path example) {
        Kubectl.Result result =
                plane.kubectl().run("apply", "--dry-run=server", "--validate=strict", "-f", example.toString());
        assertThat(result.exit())
                .as("%s: %s", example.getFileName(), result.err())
                .isZero();
        assertThat(result.err()).as("warnings for %s", example.getFileName()).isEmpty();
        assertThat(result.out()).contains("(server dry run)");
    }

    static List<Path> invalidPolicies() throws IOException {
        try (Stream<Path> files = Files.list(ProjectFiles.file("crds/src/test/resources/invalid"))) {
            return files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
        }
    }

    @ParameterizedTest
    @MethodSource("invalidPolicies")
    void invalidPolicyIsRefusedByTheServerForTheExpectedReasons(Path policy) throws IOException {
        String text = Files.readString(policy);
        List<String[]> expected = text.lines()
                .filter(l -> l.startsWith(EXPECT))
                .map(l -> l.substring(EXPECT.length()))
                .map(l -> new String[] {
                    l.substring(0, l.indexOf(": ")),
                    l.substring(l.indexOf(": ") + 2).strip()
                })
                .toList();
        assertThat(expected).as("expectations in %s", policy.getFileName()).isNotEmpty();
        GenericKubernetesResource object =
                plane.admin().getKubernetesSerialization().unmarshal(text, GenericKubernetesResource.class);

        KubernetesClientException refused = null;
        try {
            plane.admin()
                    .resource(object)
                    .dryRun()
                    .fieldValidation(FieldValidateable.Validation.STRICT)
                    .create();
        } catch (KubernetesClientException e) {
            refused = e;
        }

        if (text.lines().anyMatch(l -> l.startsWith("# schema: accepts"))) {
            // Only the operator and the agent can refuse it: the schema cannot express its rule.
            assertThat(refused)
                    .as("%s is marked as accepted by the schema", policy.getFileName())
                    .isNull();
            return;
        }
        assertThat(refused).as("%s is refused", policy.getFileName()).isNotNull();
        assertThat(refused.getCode())
                .as("%s: %s", policy.getFileName(), refused.getMessage())
                .isIn(400, 422);
        List<String> reasons = reasons(refused);
        for (String[] expectation : expected) {
            assertThat(reasons)
                    .as("%s: the server names '%s' with '%s'", policy.getFileName(), expectation[0], expectation[1])
                    .anyMatch(r -> r.startsWith(expectation[0] + ": ") && r.contains(expectation[1]));
        }
    }

    /**
     * The server's reasons as {@code field: message}: the Status causes (a cause about the whole object has no
     * field), or for strict decoding, which answers in one message, one reason per unknown field it names.
     */
    static List<String> reasons(KubernetesClientException e) {
        List<String> out = new ArrayList<>();
        if (e.getStatus() != null
                && e.getStatus().getDetails() != null
                && e.getStatus().getDetails().getCauses() != null) {
            for (StatusCause cause : e.getStatus().getDetails().getCauses()) {
                String field = cause.getField() == null || cause.getField().equals("<nil>") ? "" : cause.getField();
                out.add(field + ": " + cause.getMessage());
            }
        }
        if (out.isEmpty() && e.getStatus() != null) {
            Matcher unknown = UNKNOWN_FIELD.matcher(e.getStatus().getMessage());
            while (unknown.find()) {
                out.add(unknown.group(1) + ": " + unknown.group());
            }
            if (out.isEmpty()) {
                out.add(e.getStatus().getMessage());
            }
        }
        return out;
    }

    private static JSONSchemaProps schemaAt(String path) throws IOException {
        String[] parts = path.split("\\.");
        CustomResourceDefinition crd = plane.admin()
                .getKubernetesSerialization()
                .unmarshal(
                        Files.readString(ProjectFiles.file("charts/tcphealth/crds/" + parts[0] + ".tcphealth.io.yaml")),
                        CustomResourceDefinition.class);
        JSONSchemaProps schema = crd.getSpec().getVersions().get(0).getSchema().getOpenAPIV3Schema();
        for (int i = 1; i < parts.length; i++) {
            schema = schema.getProperties().get(parts[i]);
            if ("array".equals(schema.getType())) {
                schema = schema.getItems().getSchema();
            }
        }
        return schema;
    }

    private static String oneLine(String text) {
        return text.replaceAll("\\s+", " ").trim();
    }
}
