package io.tcphealth.chart;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.tcphealth.testsupport.ProjectFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** values.yaml is documented line by line, and every value in it is used by some template. */
class ValuesDocumentationTest {

    private static final Pattern KEY = Pattern.compile("^\\s*[A-Za-z_][\\w./-]*:.*");

    @Test
    void everyKeyHasACommentAbove() throws IOException {
        List<String> lines = Files.readAllLines(ProjectFiles.chart().resolve("values.yaml"));
        List<String> bare = new ArrayList<>();
        String previous = "";
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (KEY.matcher(line).matches() && !previous.stripLeading().startsWith("#")) {
                bare.add((i + 1) + ": " + line);
            }
            if (!line.isBlank()) {
                previous = line;
            }
        }
        assertThat(bare).as("keys of values.yaml without a comment line above").isEmpty();
    }

    @Test
    void everyValueIsUsedByATemplate() throws IOException {
        String templates;
        try (Stream<Path> files = Files.list(ProjectFiles.chart().resolve("templates"))) {
            templates = files.map(f -> {
                        try {
                            return Files.readString(f);
                        } catch (IOException e) {
                            throw new java.io.UncheckedIOException(e);
                        }
                    })
                    .collect(Collectors.joining("\n"));
        }
        JsonNode values = new ObjectMapper(new YAMLFactory())
                .readTree(ProjectFiles.chart().resolve("values.yaml").toFile());
        List<String> unused = new ArrayList<>();
        for (String path : leaves("", values)) {
            String[] parts = path.split("\\.");
            boolean used = false;
            for (int n = Math.min(2, parts.length); n <= parts.length && !used; n++) {
                String prefix = String.join(".", java.util.Arrays.copyOf(parts, n));
                used = Pattern.compile("\\.Values\\." + Pattern.quote(prefix) + "(?![\\w])")
                        .matcher(templates)
                        .find();
            }
            if (!used) {
                unused.add(path);
            }
        }
        assertThat(unused).as("values no template reads").isEmpty();
    }

    private static List<String> leaves(String prefix, JsonNode node) {
        List<String> out = new ArrayList<>();
        if (node.isObject() && !node.isEmpty()) {
            node.properties()
                    .forEach(p -> out.addAll(
                            leaves(prefix.isEmpty() ? p.getKey() : prefix + "." + p.getKey(), p.getValue())));
        } else {
            out.add(prefix);
        }
        return out;
    }
}
