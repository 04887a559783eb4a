package io.tcphealth.chart;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.tcphealth.api.v1alpha1.TcpHealthNode;
import io.tcphealth.api.v1alpha1.TcpHealthPolicy;
import io.tcphealth.operator.fleet.NodeLiveness;
import io.tcphealth.operator.status.PolicyStatusAggregator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The README's {@code kubectl get tcphealth} and {@code kubectl get thn} lines are what kubectl prints from
 * the CRDs' printer columns, for the policy status the operator's own aggregator computes from the node's
 * report of the field-report case.
 */
class ReadmeClusterViewTest {

  private static final Instant NOW = Instant.parse("2026-11-25T12:50:00Z");
  private static final Pattern FILTER = Pattern.compile("\\.([\\w.]+)\\[\\?\\(@\\.type==\"(\\w+)\"\\)\\]\\.(\\w+)");
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

  @Test
  void readmeShowsWhatKubectlPrintsForTheFieldReportsCase() throws IOException {
    TcpHealthNode node = SERIALIZATION.unmarshal(
        Files.readString(Path.of("src/test/resources/readme-case-node.yaml")), TcpHealthNode.class);
    TcpHealthPolicy policy = SERIALIZATION.unmarshal(
        Files.readString(Project.file("examples/checkout-dry-run.yaml")), TcpHealthPolicy.class);
    policy.getMetadata().setGeneration(1L);
    policy.getMetadata().setCreationTimestamp(NOW.minus(Duration.ofMinutes(6)).toString());
    policy.setStatus(new PolicyStatusAggregator(new NodeLiveness(Duration.ofMinutes(5), Duration.ofMinutes(1)))
        .aggregate(policy, List.of(), List.of(node), NOW));

    String readme = Files.readString(Project.file("README.md"));
    assertThat(readme).contains("$ kubectl get tcphealth\n" + table("tcphealthpolicies.tcphealth.io.yaml", policy)
        + "$ kubectl get thn\n" + table("tcphealthnodes.tcphealth.io.yaml", node));
  }

  /** kubectl's table: NAME, then the printer columns; columns padded to their widest cell plus three spaces. */
  private static String table(String crdFile, Object object) throws IOException {
    JsonNode crd = YAML.readTree(Project.chart().resolve("crds").resolve(crdFile).toFile());
    JsonNode json = JSON.readTree(SERIALIZATION.asJson(object));
    List<String> header = new ArrayList<>(List.of("NAME"));
    List<String> row = new ArrayList<>(List.of(json.path("metadata").path("name").asText()));
    for (JsonNode column : crd.path("spec").path("versions").get(0).path("additionalPrinterColumns")) {
      header.add(column.path("name").asText().toUpperCase());
      row.add(cell(evaluate(json, column.path("jsonPath").asText()), column.path("type").asText()));
    }
    StringBuilder out = new StringBuilder();
    for (List<String> line : List.of(header, row)) {
      for (int i = 0; i < line.size(); i++) {
        int width = Math.max(header.get(i).length(), row.get(i).length());
        out.append(i == line.size() - 1 ? line.get(i) : String.format("%-" + (width + 3) + "s", line.get(i)));
      }
      out.append('\n');
    }
    return out.toString();
  }

  private static JsonNode evaluate(JsonNode root, String path) {
    Matcher filter = FILTER.matcher(path);
    if (filter.matches()) {
      for (JsonNode item : walk(root, filter.group(1))) {
        if (filter.group(2).equals(item.path("type").asText())) {
          return item.path(filter.group(3));
        }
      }
      return JSON.missingNode();
    }
    return walk(root, path.substring(1));
  }

  private static JsonNode walk(JsonNode root, String dotted) {
    JsonNode node = root;
    for (String part : dotted.split("\\.")) {
      node = node.path(part);
    }
    return node;
  }

  /** As kubectl shows a value: dates as ages, lists as JSON, missing values as {@code <none>}. */
  private static String cell(JsonNode value, String type) {
    if (value.isMissingNode() || value.isNull()) {
      return "<none>";
    }
    if (type.equals("date")) {
      return age(Duration.between(Instant.parse(value.asText()), NOW));
    }
    return value.isContainerNode() ? value.toString() : value.asText();
  }

  /** kubectl's short human durations, for the ranges the README uses. */
  private static String age(Duration d) {
    long seconds = d.toSeconds();
    if (seconds < 120) {
      return seconds + "s";
    }
    long minutes = d.toMinutes();
    long rest = seconds % 60;
    return minutes < 10 && rest != 0 ? minutes + "m" + rest + "s" : minutes + "m";
  }
}
