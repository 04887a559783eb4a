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

    /** Renders a table as wide as the terminal's default. */
    public String render(NodeReport report) {
        return render(report, TableRenderer.WIDTH);
    }

    /** Renders the report; a table fits {@code width} columns. */
    public String render(NodeReport report, int width) {
        try {
            return switch (this) {
                case table -> new TableRenderer(width).render(report);
                case json -> Json.MAPPER.writeValueAsString(report) + System.lineSeparator();
                case yaml -> Yaml.MAPPER.writeValueAsString(report);
            };
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot serialise the report: " + e.getOriginalMessage(), e);
        }
    }

    // Holders: a table never loads Jackson's serialisers, and only YAML output loads the YAML machinery.
    private static final class Json {
        static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    }

    private static final class Yaml {
        static final ObjectMapper MAPPER = new ObjectMapper(YAMLFactory.builder()
                .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
                .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
                .build());
    }
}
