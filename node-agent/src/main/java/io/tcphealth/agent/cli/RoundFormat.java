package io.tcphealth.agent.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import io.tcphealth.agent.loop.RoundReport;
import java.io.UncheckedIOException;

/** How a round's report is printed. */
enum RoundFormat {
    yaml,
    json;

    String render(RoundReport report) {
        try {
            return this == yaml
                    ? "---\n" + Yaml.MAPPER.writeValueAsString(report)
                    : Json.MAPPER.writeValueAsString(report) + "\n";
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    // Holders, so that naming a format (picocli does it for every option's type) loads no serialiser.
    private static final class Yaml {
        static final ObjectMapper MAPPER =
                new ObjectMapper(new YAMLFactory().disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER));
    }

    private static final class Json {
        static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    }
}
