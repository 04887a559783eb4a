package io.tcphealth.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.TemplateCommand;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The alert rules as the chart installs them, written out as a rule file for a real Prometheus. */
final class ChartAlertRules {
    private static final Pattern TYPE = Pattern.compile("type=\"(\\w+)\"");

    private ChartAlertRules() {}

    /**
     * Renders the chart's PrometheusRule ({@code helm template} with {@code prometheusRule.enabled}) with the given
     * {@code prometheusRule.for} values, checks they reached the rules, and writes its spec to {@code file}.
     */
    static Path render(Path chart, Map<String, String> forByAlert, Path file) throws IOException {
        TemplateCommand template = new Helm(chart)
                .template()
                .withName("tcphealth")
                .withNamespace("default")
                .withKubeVersion("1.32.0")
                .skipCrds()
                .set("prometheusRule.enabled", "true");
        for (Map.Entry<String, String> f : forByAlert.entrySet()) {
            template = template.set("prometheusRule.for." + f.getKey(), f.getValue());
        }
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
        JsonNode spec = null;
        for (JsonNode doc : yaml.readerFor(JsonNode.class)
                .<JsonNode>readValues(template.call())
                .readAll()) {
            if (doc != null && "PrometheusRule".equals(doc.path("kind").asText())) {
                spec = doc.path("spec");
            }
        }
        assertThat(spec).as("the chart's PrometheusRule").isNotNull();
        int changed = 0;
        for (JsonNode group : spec.path("groups")) {
            for (JsonNode rule : group.path("rules")) {
                String wanted = forByAlert.get(rule.path("alert").asText());
                if (wanted != null) {
                    assertThat(rule.path("for").asText())
                            .as(rule.path("alert").asText())
                            .isEqualTo(wanted);
                    changed++;
                }
            }
        }
        assertThat(changed).as("alerts given a for").isEqualTo(forByAlert.size());
        yaml.writeValue(file.toFile(), spec);
        return file;
    }

    /** The finding type an alert's expression selects ({@code type="..."}). */
    static String findingType(String expr) {
        Matcher m = TYPE.matcher(expr);
        assertThat(m.find()).as("a finding type in %s", expr).isTrue();
        return m.group(1);
    }
}
