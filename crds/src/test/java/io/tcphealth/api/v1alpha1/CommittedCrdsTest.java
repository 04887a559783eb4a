package io.tcphealth.api.v1alpha1;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.CustomResource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/**
 * The committed CRDs (crds/generated and the chart's crds folder) must be exactly what the Java types generate.
 * With {@code -Dtcphealth.updateCrds} the test rewrites them instead of failing.
 */
class CommittedCrdsTest {

    static final List<Class<? extends CustomResource<?, ?>>> KINDS = CrdLayout.KINDS;

    /** Numbers compare by value (YAML reads 1000 back as an int where the tree held a long); the rest exactly. */
    private static final Comparator<JsonNode> SAME_VALUE = (a, b) -> {
        if (a.isNumber() && b.isNumber()) {
            return a.decimalValue().compareTo(b.decimalValue());
        }
        return a.equals(b) ? 0 : 1;
    };

    @ParameterizedTest
    @FieldSource("KINDS")
    void committedCopiesMatchTheGeneratedCrd(Class<? extends HasMetadata> kind) throws IOException {
        Path generated = CrdLayout.generatedDir().resolve(CrdLayout.generatedFileName(kind));
        assertThat(generated)
                .as("CRD written by crd-generator-maven-plugin at process-classes")
                .exists();
        String expected = CommittedCrd.render(kind, Files.readString(generated));

        List<String> stale = new ArrayList<>();
        for (Path dir : List.of(CrdLayout.committedDir(), CrdLayout.chartDir())) {
            Path committed = dir.resolve(CrdLayout.committedFileName(kind));
            if (CrdLayout.updateRequested()) {
                Files.createDirectories(dir);
                Files.writeString(committed, expected);
            } else if (!Files.exists(committed) || !Files.readString(committed).equals(expected)) {
                stale.add(committed + firstDifference(committed, expected));
            }
        }
        if (!stale.isEmpty()) {
            fail(
                    "The committed CRD differs from what the Java types generate:\n  " + String.join("\n  ", stale)
                            + "\nRegenerate both copies with\n  mvn -B -ntp -pl crds verify -Dtcphealth.updateCrds\nand commit them.");
        }
    }

    @ParameterizedTest
    @FieldSource("KINDS")
    void committedTextReadsBackAsTheGeneratedSchema(Class<? extends HasMetadata> kind) throws IOException {
        String generated = Files.readString(CrdLayout.generatedDir().resolve(CrdLayout.generatedFileName(kind)));

        JsonNode readBack = CommittedCrd.YAML.readTree(CommittedCrd.render(kind, generated));

        assertThat(readBack.equals(SAME_VALUE, CommittedCrd.tree(kind, generated)))
                .as("%s read back from the committed text equals the generated CRD", kind.getSimpleName())
                .isTrue();
    }

    @Test
    void committedFoldersHoldNoOtherCrds() throws IOException {
        List<String> expected =
                KINDS.stream().map(CrdLayout::committedFileName).sorted().toList();
        for (Path dir : List.of(CrdLayout.committedDir(), CrdLayout.chartDir())) {
            try (Stream<Path> files = Files.list(dir)) {
                assertThat(files.map(p -> p.getFileName().toString()).sorted().toList())
                        .as("CRD files in %s", dir)
                        .isEqualTo(expected);
            }
        }
    }

    @ParameterizedTest
    @FieldSource("KINDS")
    void printerColumnsKeepTheDeclaredOrder(Class<? extends HasMetadata> kind) throws IOException {
        String generated = Files.readString(CrdLayout.generatedDir().resolve(CrdLayout.generatedFileName(kind)));
        List<String> columns = new ArrayList<>();
        CommittedCrd.tree(kind, generated)
                .path("spec")
                .path("versions")
                .get(0)
                .path("additionalPrinterColumns")
                .forEach(column -> columns.add(column.path("name").asText()));

        assertThat(columns)
                .isEqualTo(Arrays.stream(kind.getAnnotationsByType(AdditionalPrinterColumn.class))
                        .map(AdditionalPrinterColumn::name)
                        .toList());
    }

    private static String firstDifference(Path committed, String expected) throws IOException {
        if (!Files.exists(committed)) {
            return " (missing)";
        }
        List<String> have = Files.readAllLines(committed);
        List<String> want = expected.lines().toList();
        for (int i = 0; i < Math.max(have.size(), want.size()); i++) {
            String a = i < have.size() ? have.get(i) : "<end of file>";
            String b = i < want.size() ? want.get(i) : "<end of file>";
            if (!a.equals(b)) {
                return " (line " + (i + 1) + ": committed '" + a.strip() + "', generated '" + b.strip() + "')";
            }
        }
        return " (line endings differ)";
    }
}
