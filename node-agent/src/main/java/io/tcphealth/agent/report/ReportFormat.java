package io.tcphealth.agent.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;

/** The output formats of {@code diagnose}. */
public enum ReportFormat {
    table,
    json,
    yaml;

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final ObjectMapper YAML = new ObjectMapper(
            YAMLFactory.builder().disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
                    .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES).build());

    public String render(NodeReport report) {
        try {
            return switch (this) {
                case table -> new TableRenderer().render(report);
                case json -> JSON.writeValueAsString(report) + System.lineSeparator();
                case yaml -> YAML.writeValueAsString(report);
            };
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot serialise the report", e);
        }
    }
}
