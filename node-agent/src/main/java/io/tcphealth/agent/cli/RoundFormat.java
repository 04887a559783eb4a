package io.tcphealth.agent.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import io.tcphealth.agent.remediation.RoundReport;
import java.io.UncheckedIOException;

/** How a round's report is printed. */
enum RoundFormat {
    yaml(new ObjectMapper(new YAMLFactory().disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER))),
    json(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT));

    private final ObjectMapper mapper;

    RoundFormat(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    String render(RoundReport report) {
        try {
            String text = mapper.writeValueAsString(report);
            return this == yaml ? "---\n" + text : text + "\n";
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
