package io.tcphealth.chart;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.tcphealth.testsupport.ProjectFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** docs/crd-reference.md is the CRDs' schema in prose; it is regenerated, never edited, and never stale. */
class CrdReferenceTest {

    private static final Path PAGE = ProjectFiles.file("docs/crd-reference.md");

    @Test
    void referenceIsInStepWithTheCrds() throws IOException {
        String generated = CrdReference.render(ProjectFiles.chart().resolve("crds"));
        if (Boolean.getBoolean("tcphealth.updateDocs") || "".equals(System.getProperty("tcphealth.updateDocs"))) {
            Files.writeString(PAGE, generated);
        }
        assertThat(Files.exists(PAGE))
                .as("%s exists; generate it with -Dtcphealth.updateDocs", PAGE)
                .isTrue();
        assertThat(Files.readString(PAGE))
                .as("docs/crd-reference.md is stale: regenerate it with -Dtcphealth.updateDocs (see its first lines)")
                .isEqualTo(generated);
    }

    @Test
    void everyFieldOfBothCrdsHasARow() throws IOException {
        String page = Files.readString(PAGE);
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
        for (String file : CrdReference.CRDS) {
            var crd = yaml.readTree(
                    ProjectFiles.chart().resolve("crds").resolve(file).toFile());
            var paths = CrdReference.paths(crd);
            assertThat(paths).contains("spec");
            for (String path : paths) {
                assertThat(page).as("row for %s of %s", path, file).contains("| `" + path + "` |");
            }
        }
        assertThat(page)
                .contains(
                        "`spec.remediation.mode`",
                        "`spec.thresholds.closeWaitPerProcess`",
                        "`spec.sysctls.tcpKeepaliveTime`",
                        "`status.totals.finWait1`");
    }
}
