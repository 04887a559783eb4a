package io.tcphealth.chart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.tcphealth.testsupport.ProjectFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shipped alerts: the chart renders them unchanged as a PrometheusRule (only when asked) but for each
 * alert's {@code for}, which is a value whose defaults are the file's; promtool accepts them, as the file and as
 * the chart renders them by default, and its unit tests (src/test/promtool) fire each alert on the series it is
 * written for; and every metric they query is one the code registers with label values it really produces.
 */
class AlertRulesTest {
    private static final Path RULES = ProjectFiles.chart().resolve("alerts/tcphealth-rules.yaml");
    private static final Path RULE_TESTS =
            Path.of("src/test/promtool/tcphealth-rules-test.yaml").toAbsolutePath();
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    @Test
    void theChartInstallsTheRuleFileAsAPrometheusRuleOnlyWhenAsked() throws IOException {
        assertThat(RenderedChart.render(Map.of()).ofKind("PrometheusRule")).isEmpty();

        RenderedChart chart = RenderedChart.render(
                Map.of("prometheusRule.enabled", "true", "prometheusRule.labels.release", "kube-prometheus"));
        JsonNode rule = chart.get("PrometheusRule", "tcphealth");
        assertThat(rule.path("metadata").path("namespace").asText()).isEqualTo("tcphealth-system");
        assertThat(rule.path("metadata").path("labels").path("release").asText())
                .isEqualTo("kube-prometheus");
        assertThat(rule.path("spec")).isEqualTo(YAML.readTree(RULES.toFile()));
    }

    @Test
    void eachAlertsForIsAValueWhoseDefaultsAreTheFiles() throws IOException {
        Map<String, String> fileFor = forByAlert(YAML.readTree(RULES.toFile()));
        JsonNode values =
                YAML.readTree(ProjectFiles.chart().resolve("values.yaml").toFile());
        Map<String, String> defaults = new LinkedHashMap<>();
        values.path("prometheusRule")
                .path("for")
                .fields()
                .forEachRemaining(e -> defaults.put(e.getKey(), e.getValue().asText()));
        assertThat(defaults).as("prometheusRule.for in values.yaml").isEqualTo(fileFor);

        JsonNode rendered = RenderedChart.render(Map.of(
                        "prometheusRule.enabled", "true",
                        "prometheusRule.for.TcpHealthZeroWindowStall", "5s",
                        "prometheusRule.for.TcpHealthListenOverflows", "1m"))
                .get("PrometheusRule", "tcphealth")
                .path("spec");
        Map<String, String> expected = new LinkedHashMap<>(fileFor);
        expected.put("TcpHealthZeroWindowStall", "5s");
        expected.put("TcpHealthListenOverflows", "1m");
        assertThat(forByAlert(rendered)).isEqualTo(expected);
    }

    @Test
    void aForOfNoSuchAlertFailsTheRender() {
        assertThatThrownBy(() -> RenderedChart.render(
                        Map.of("prometheusRule.enabled", "true", "prometheusRule.for.TcpHealthNoSuchAlert", "1m")))
                .hasMessageContaining("prometheusRule.for.TcpHealthNoSuchAlert: no alert of that name");
        assertThatThrownBy(() -> RenderedChart.render(Map.of(
                        "prometheusRule.enabled", "true", "prometheusRule.for.TcpHealthZeroWindowStall", "soon")))
                .hasMessageContaining("/prometheusRule/for/TcpHealthZeroWindowStall");
    }

    @Test
    void promtoolAcceptsTheRulesAndTheirUnitTestsPass(@TempDir Path tmp) throws Exception {
        assertThat(promtool("check", "rules", RULES.toString())).contains("SUCCESS");
        assertThat(promtool("test", "rules", RULE_TESTS.toString())).contains("SUCCESS");

        // The same unit tests on the rules as the chart installs them with its default values.
        JsonNode spec = RenderedChart.render(Map.of("prometheusRule.enabled", "true"))
                .get("PrometheusRule", "tcphealth")
                .path("spec");
        Path rendered = tmp.resolve("rendered-rules.yaml");
        YAML.writeValue(rendered.toFile(), spec);
        Path tests = tmp.resolve("rendered-rules-test.yaml");
        Files.writeString(
                tests,
                Files.readString(RULE_TESTS)
                        .replace("../../../tcphealth/alerts/tcphealth-rules.yaml", rendered.toString()));
        assertThat(Files.readString(tests)).contains(rendered.toString());
        assertThat(promtool("check", "rules", rendered.toString())).contains("SUCCESS");
        assertThat(promtool("test", "rules", tests.toString())).contains("SUCCESS");
    }

    @Test
    void everyCriticalFindingTypeHasAnAlertAndEveryAlertIsTested() throws IOException {
        JsonNode rules = YAML.readTree(RULES.toFile());
        Set<String> alerts = new TreeSet<>();
        Set<String> findingTypes = new TreeSet<>();
        Matcher type = Pattern.compile("type=\"(\\w+)\"").matcher("");
        for (JsonNode group : rules.path("groups")) {
            for (JsonNode r : group.path("rules")) {
                alerts.add(r.path("alert").asText());
                if (type.reset(r.path("expr").asText()).find()) {
                    findingTypes.add(type.group(1));
                }
                assertThat(r.path("labels").path("severity").asText()).isIn("critical", "warning");
            }
        }
        assertThat(findingTypes)
                .contains(
                        "ephemeral_port_exhaustion",
                        "listen_queue_overflow",
                        "stalled_connection",
                        "tcp_memory_pressure",
                        "zero_window_stall",
                        "close_wait_leak",
                        "fin_wait1_stuck");
        JsonNode tests = YAML.readTree(RULE_TESTS.toFile());
        Set<String> tested = new TreeSet<>();
        for (JsonNode t : tests.path("tests")) {
            for (JsonNode a : t.path("alert_rule_test")) {
                if (!a.path("exp_alerts").isEmpty()) {
                    tested.add(a.path("alertname").asText());
                }
            }
        }
        assertThat(tested).as("alerts that a promtool test makes fire").isEqualTo(alerts);
    }

    /** Each alert's {@code for}, for the alerts that have one. */
    private static Map<String, String> forByAlert(JsonNode rules) {
        Map<String, String> out = new LinkedHashMap<>();
        for (JsonNode group : rules.path("groups")) {
            for (JsonNode r : group.path("rules")) {
                if (r.has("for")) {
                    out.put(r.path("alert").asText(), r.path("for").asText());
                }
            }
        }
        return out;
    }

    private static String promtool(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("promtool"));
        cmd.addAll(List.of(args));
        Process p;
        try {
            p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new AssertionError("promtool is needed for the alert tests (Debian: apt-get install prometheus)", e);
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue())
                .as("promtool %s:%n%s", String.join(" ", args), out)
                .isZero();
        return out;
    }
}
