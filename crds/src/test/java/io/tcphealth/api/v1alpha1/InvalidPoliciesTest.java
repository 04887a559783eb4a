package io.tcphealth.api.v1alpha1;

import static org.assertj.core.api.Assertions.assertThat;

import io.tcphealth.api.v1alpha1.validation.PolicyRules;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each policy under src/test/resources/invalid is rejected by the schema for exactly the reasons its
 * {@code # expect: <path>: <words>} lines name (every expectation matches a violation and every violation is
 * expected), and by the shared rules the operator and the agent apply. The agent's own entry points
 * ({@code run --policy}, {@code diagnose --plan}) are run on the same files by the fleet tests.
 */
class InvalidPoliciesTest {

    private static final StructuralSchema SCHEMA = Crds.schema(TcpHealthPolicy.class);

    static List<InvalidPolicy> invalidPolicies() {
        return InvalidPolicy.all();
    }

    @Test
    void thereAreInvalidPolicies() {
        assertThat(invalidPolicies()).hasSizeGreaterThan(30);
    }

    @ParameterizedTest
    @MethodSource("invalidPolicies")
    void policyIsRejectedForTheExpectedReasons(InvalidPolicy policy) {
        List<InvalidPolicy.Expectation> expected = policy.expectations();
        assertThat(expected).as("expectations in %s", policy).isNotEmpty();

        List<SchemaViolation> violations = SCHEMA.admit(Crds.yaml(policy.file()));

        if (policy.schemaAccepts()) {
            assertThat(violations)
                    .as("violations of %s, marked as accepted by the schema", policy)
                    .isEmpty();
            return;
        }
        assertThat(violations).as("violations of %s", policy).isNotEmpty();
        for (InvalidPolicy.Expectation expectation : expected) {
            assertThat(violations)
                    .as("%s: a violation at '%s' containing '%s'", policy, expectation.path(), expectation.words())
                    .anyMatch(v -> expectation.matches(v.path(), v.message()));
        }
        for (SchemaViolation violation : violations) {
            assertThat(expected)
                    .as("%s: unexpected violation '%s'", policy, violation)
                    .anyMatch(expectation -> expectation.matches(violation.path(), violation.message()));
        }
    }

    /**
     * The rules the operator and the agent share refuse every invalid policy that can be read as a typed
     * object at all, naming each expected field; what cannot be read (an unknown field, an unknown enum value)
     * is refused by the reader before any rule runs.
     */
    @ParameterizedTest
    @MethodSource("invalidPolicies")
    void sharedRulesRefuseWhatCanBeRead(InvalidPolicy policy) {
        TcpHealthPolicy typed;
        try {
            typed = Crds.strict(policy.file());
        } catch (IllegalArgumentException unreadable) {
            assertThat(policy.schemaAccepts())
                    .as("%s cannot be read, yet the schema would accept it", policy)
                    .isFalse();
            return;
        }

        List<String> problems = PolicyRules.problems(typed);

        assertThat(problems).as("problems of %s", policy).isNotEmpty();
        for (InvalidPolicy.Expectation expectation : policy.fieldExpectations()) {
            assertThat(problems)
                    .as("%s: a problem naming '%s'", policy, expectation.path())
                    .anyMatch(expectation::namesFieldOf);
        }
    }
}
