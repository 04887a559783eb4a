package io.tcphealth.chart;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tcphealth.testsupport.ProjectFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * docs/metrics.md names every metric the operator and the agent register, and the Grafana dashboard
 * queries only metrics that exist. Metric names are read from the sources (Micrometer builders), so a new
 * metric without documentation fails here.
 */
class MetricsReferenceTest {

    private static final Pattern BUILDER =
            Pattern.compile("(Counter|Gauge|Timer|DistributionSummary)\\.builder\\(\\s*\"(tcphealth_\\w+)\"");
    private static final Pattern QUERY_METRIC = Pattern.compile("tcphealth_\\w+");

    @Test
    void everyRegisteredMetricIsDocumented() throws IOException {
        String page = Files.readString(ProjectFiles.file("docs/metrics.md"));
        Set<String> metrics = registered();

        assertThat(metrics).contains("tcphealth_operator_nodes", "tcphealth_operator_reconciles");
        for (String metric : metrics) {
            assertThat(page)
                    .as("docs/metrics.md documents %s (with its Prometheus suffix, if any)", metric)
                    .containsPattern("`" + metric + "(_total|_seconds)?[`{]");
        }
    }

    @Test
    void theDashboardQueriesOnlyMetricsThatExist() throws IOException {
        JsonNode dashboard = new ObjectMapper()
                .readTree(ProjectFiles.chart()
                        .resolve("dashboards/tcphealth.json")
                        .toFile());
        Set<String> metrics = registered();
        List<String> queried = new ArrayList<>();
        for (JsonNode panel : dashboard.path("panels")) {
            for (JsonNode target : panel.path("targets")) {
                Matcher matcher = QUERY_METRIC.matcher(target.path("expr").asText());
                while (matcher.find()) {
                    queried.add(matcher.group());
                }
            }
        }
        assertThat(queried).isNotEmpty();
        for (String series : queried) {
            String base = series.replaceAll("(_seconds)?(_total|_sum|_count|_max|_bucket)?$", "");
            assertThat(metrics)
                    .as("dashboard series %s comes from a registered metric", series)
                    .contains(base);
        }
    }

    private static Set<String> registered() throws IOException {
        Set<String> names = new TreeSet<>();
        for (String module : List.of("operator", "node-agent")) {
            Path sources = ProjectFiles.file(module + "/src/main/java");
            try (Stream<Path> files = Files.walk(sources)) {
                for (Path file :
                        files.filter(f -> f.toString().endsWith(".java")).toList()) {
                    Matcher matcher = BUILDER.matcher(Files.readString(file));
                    while (matcher.find()) {
                        names.add(matcher.group(2));
                    }
                }
            }
        }
        return names;
    }
}
