package io.tcphealth.agent.metrics;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The metric names docs/metrics.md documents, read from the page itself so the tests follow the page. */
public final class DocumentedMetrics {
    private DocumentedMetrics() {}

    /** The names in the Agent table. */
    public static List<String> agent() throws IOException {
        Path page = Files.exists(Path.of("../docs/metrics.md"))
                ? Path.of("../docs/metrics.md")
                : Path.of("docs/metrics.md");
        String text = Files.readString(page);
        String agent = text.substring(text.indexOf("## Agent"), text.indexOf("## ", text.indexOf("## Agent") + 3));
        List<String> names = new ArrayList<>();
        Matcher m = Pattern.compile("^\\| `(tcphealth_[a-z0-9_]+)`", Pattern.MULTILINE)
                .matcher(agent);
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }
}
