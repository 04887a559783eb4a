package io.tcphealth.agent.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tcphealth.agent.proc.SysctlKey;
import io.tcphealth.agent.scan.ScanScope;
import io.tcphealth.api.v1alpha1.RemediationMode;
import io.tcphealth.api.v1alpha1.merge.PolicyMerge;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Several local policies: read whole, checked one by one, merged by the operator's own merge. */
class PolicySetTest {
    private static final String ENFORCER = """
            apiVersion: tcphealth.io/v1alpha1
            kind: TcpHealthPolicy
            metadata: {name: enforcer}
            spec:
              priority: 10
              sysctls: {tcpKeepaliveTime: 600}
              remediation: {mode: Enforce}
            """;
    private static final String TUNER = """
            apiVersion: tcphealth.io/v1alpha1
            kind: TcpHealthPolicy
            metadata: {name: tuner}
            spec:
              priority: 1
              interval: 10s
              scope: AllNamespaces
              sysctls: {tcpKeepaliveTime: 300, tcpFinTimeout: 30}
            """;

    @TempDir
    Path dir;

    private final PolicyFile files = new PolicyFile();

    @Test
    void twoDocumentsInOneFileAreMergedAsTheOperatorMergesThem() throws Exception {
        Path file = write("both.yaml", ENFORCER + "---\n" + TUNER);

        PolicySet set = files.load(file);

        assertThat(set.names()).containsExactly("enforcer", "tuner");
        assertThat(set.policy().mode()).isEqualTo(RemediationMode.Enforce);
        assertThat(set.policy().name())
                .as("changes are recorded under the policy that asked for them")
                .isEqualTo("enforcer");
        assertThat(set.policy().sysctls())
                .containsEntry(SysctlKey.TCP_KEEPALIVE_TIME, 600L)
                .containsEntry(SysctlKey.TCP_FIN_TIMEOUT, 30L);
        assertThat(set.policy().interval()).isEqualTo(Duration.ofSeconds(10));
        assertThat(set.policy().scope()).isEqualTo(ScanScope.ALL);
        assertThat(set.conflicts())
                .isEqualTo(PolicyMerge.merge(files.readAll(file).stream()
                                .map(PolicyFile.Document::policy)
                                .toList())
                        .getConflicts());
        assertThat(set.conflicts()).singleElement().satisfies(c -> {
            assertThat(c.getKey()).isEqualTo("sysctls.tcpKeepaliveTime");
            assertThat(c.getWinner()).isEqualTo("enforcer");
            assertThat(c.getLosers()).containsExactly("tuner");
        });
    }

    @Test
    void aKubernetesListIsReadAsItsItems() throws Exception {
        String list = "apiVersion: v1\nkind: List\nitems:\n" + indent(ENFORCER) + indent(TUNER);

        PolicySet set = files.load(write("list.yaml", list));

        assertThat(set.names()).containsExactly("enforcer", "tuner");
        assertThat(set.conflicts()).hasSize(1);
    }

    @Test
    void aDirectoryIsEveryPolicyFileInIt() throws Exception {
        write("10-enforcer.yaml", ENFORCER);
        write("20-tuner.yml", TUNER);
        write("README.md", "not a policy");
        write(".20-tuner.yml.swp", "an editor's scratch file");

        PolicySet set = files.load(dir);

        assertThat(set.names()).containsExactly("enforcer", "tuner");
        assertThat(files.readAll(dir))
                .extracting(PolicyFile.Document::source)
                .containsExactly(
                        dir.resolve("10-enforcer.yaml").toString(),
                        dir.resolve("20-tuner.yml").toString());
    }

    @Test
    void oneBadPolicyRefusesTheWholeSetNamingItsDocument() throws Exception {
        Path file = write("both.yaml", ENFORCER + "---\n" + TUNER.replace("interval: 10s", "interval: 1s"));

        assertThatThrownBy(() -> files.load(file))
                .isInstanceOfSatisfying(
                        PolicyException.class,
                        e -> assertThat(e.problems())
                                .singleElement()
                                .asString()
                                .startsWith(file + " (policy 2): spec.interval: interval must be at least 5s"));
    }

    @Test
    void twoPoliciesWithOneNameAreRefused() throws Exception {
        Path file = write("twice.yaml", ENFORCER + "---\n" + ENFORCER.replace("priority: 10", "priority: 3"));

        assertThatThrownBy(() -> files.load(file))
                .isInstanceOfSatisfying(
                        PolicyException.class,
                        e -> assertThat(e.problems())
                                .singleElement()
                                .asString()
                                .contains("'enforcer' is also the name"));
    }

    @Test
    void emptyDocumentsAreNoPoliciesButAnEmptyFolderIsRefused() throws Exception {
        assertThat(files.load(write("trailing.yaml", "---\n" + ENFORCER + "---\n"))
                        .names())
                .containsExactly("enforcer");

        Path empty = Files.createDirectory(dir.resolve("empty"));
        assertThatThrownBy(() -> files.load(empty))
                .isInstanceOf(PolicyException.class)
                .hasMessageContaining("holds no .yaml, .yml or .json policy files");
    }

    @Test
    void aNodeSelectorIsReportedAsHavingNoMeaningHere() throws Exception {
        PolicySet set = files.load(write(
                "pool.yaml",
                ENFORCER.replace(
                        "  priority: 10",
                        "  priority: 10\n  nodeSelector: {matchLabels: {tcphealth.io/pool: checkout}}")));

        assertThat(set.notes())
                .singleElement()
                .asString()
                .contains("nodeSelector")
                .contains("every policy");
    }

    private Path write(String name, String text) throws Exception {
        return Files.writeString(dir.resolve(name), text);
    }

    private static String indent(String document) {
        StringBuilder out = new StringBuilder();
        boolean first = true;
        for (String line : document.split("\n")) {
            out.append(first ? "- " : "  ").append(line).append('\n');
            first = false;
        }
        return out.toString();
    }
}
