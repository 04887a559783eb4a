package io.tcphealth.chart;

import static org.assertj.core.api.Assertions.assertThat;

import io.tcphealth.testsupport.PrinterColumns;
import io.tcphealth.testsupport.ProjectFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The README's {@code kubectl get tcphealth} and {@code kubectl get thn} lines were captured by {@code make e2e}
 * on a real cluster. They must still be what kubectl prints from the CRDs' printer columns: when a column
 * changes, the README needs a new capture.
 */
class ReadmeClusterViewTest {

    @Test
    void readmesCapturedTablesHaveTheColumnsTheCrdsPrint() throws IOException {
        String readme = Files.readString(ProjectFiles.file("README.md"));

        List<String> policies = captured(readme, "$ kubectl get tcphealth\n");
        List<String> nodes = captured(readme, "$ kubectl get thn\n");

        assertThat(cells(policies.get(0))).isEqualTo(header("tcphealthpolicies.tcphealth.io.yaml"));
        assertThat(cells(nodes.get(0))).isEqualTo(header("tcphealthnodes.tcphealth.io.yaml"));
        assertThat(cells(policies.get(1))).hasSameSizeAs(cells(policies.get(0)));
        assertThat(cells(nodes.get(1))).hasSameSizeAs(cells(nodes.get(0)));
        // The field report's case: 3 CLOSE_WAIT and 2 FIN_WAIT1 sockets on the one node.
        assertThat(cells(nodes.get(1)).subList(2, 4)).containsExactly("3", "2");
    }

    /** The two lines (header, one row) after a command line in the README. */
    private static List<String> captured(String readme, String command) {
        int at = readme.indexOf(command);
        assertThat(at).as("README shows " + command.strip()).isGreaterThanOrEqualTo(0);
        String[] lines = readme.substring(at + command.length()).split("\n", 3);
        return List.of(lines[0], lines[1]);
    }

    /** kubectl pads columns with at least three spaces; no cell here holds two spaces in a row. */
    private static List<String> cells(String line) {
        return List.of(line.strip().split(" {2,}"));
    }

    private static List<String> header(String crdFile) throws IOException {
        return PrinterColumns.header(ProjectFiles.chart().resolve("crds").resolve(crdFile));
    }
}
