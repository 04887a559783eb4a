package io.tcphealth.api.v1alpha1;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each policy under src/test/resources/invalid is rejected, and for exactly the reasons its
 * {@code # expect: <path>: <words>} lines name: every expectation matches a violation and every violation
 * is expected.
 */
class InvalidPoliciesTest {

  private static final StructuralSchema SCHEMA = Crds.schema(TcpHealthPolicy.class);
  private static final String EXPECT = "# expect: ";

  static List<Path> invalidPolicies() throws IOException, URISyntaxException {
    Path dir = Path.of(InvalidPoliciesTest.class.getResource("/invalid").toURI());
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
    }
  }

  @Test
  void thereAreInvalidPolicies() throws IOException, URISyntaxException {
    assertThat(invalidPolicies()).hasSizeGreaterThan(20);
  }

  @ParameterizedTest
  @MethodSource("invalidPolicies")
  void policyIsRejectedForTheExpectedReasons(Path policy) throws IOException {
    List<Expectation> expected = Files.readAllLines(policy).stream()
        .filter(line -> line.startsWith(EXPECT))
        .map(line -> Expectation.parse(line.substring(EXPECT.length())))
        .toList();
    assertThat(expected).as("expectations in %s", policy.getFileName()).isNotEmpty();

    List<SchemaViolation> violations = SCHEMA.admit(Crds.yaml(policy));

    assertThat(violations).as("violations of %s", policy.getFileName()).isNotEmpty();
    for (Expectation expectation : expected) {
      assertThat(violations).as("%s: a violation at '%s' containing '%s'", policy.getFileName(),
          expectation.path(), expectation.words()).anyMatch(expectation::matches);
    }
    for (SchemaViolation violation : violations) {
      assertThat(expected).as("%s: unexpected violation '%s'", policy.getFileName(), violation)
          .anyMatch(expectation -> expectation.matches(violation));
    }
  }

  /** {@code <path>: <words>}: a violation at exactly that field path whose message contains the words. */
  private record Expectation(String path, String words) {

    static Expectation parse(String text) {
      int colon = text.indexOf(": ");
      if (colon < 0) {
        throw new IllegalArgumentException("Expectation is not '<path>: <words>': " + text);
      }
      return new Expectation(text.substring(0, colon), text.substring(colon + 2).strip());
    }

    boolean matches(SchemaViolation violation) {
      return violation.path().equals(path) && violation.message().contains(words);
    }
  }
}
