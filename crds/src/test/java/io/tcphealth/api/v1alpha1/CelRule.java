package io.tcphealth.api.v1alpha1;

import dev.cel.bundle.Cel;
import dev.cel.bundle.CelFactory;
import dev.cel.common.CelValidationException;
import dev.cel.common.types.SimpleType;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.Program;
import java.util.Map;

/**
 * One {@code x-kubernetes-validations} rule, compiled the way the API server sees it: {@code self} is the value
 * at the rule's place in the schema and the rule must yield a bool.
 */
final class CelRule {

    /** Kubernetes parses rules with CEL's standard macros (has, all, exists, exists_one, map, filter). */
    private static final Cel CEL = CelFactory.standardCelBuilder()
            .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
            .addVar("self", SimpleType.DYN)
            .setResultType(SimpleType.BOOL)
            .build();

    private final String expression;
    private final Program program;

    CelRule(String expression) {
        this.expression = expression;
        try {
            this.program = CEL.createProgram(CEL.compile(expression).getAst());
        } catch (CelValidationException e) {
            throw new IllegalArgumentException("CEL rule does not compile: " + expression + ": " + e.getMessage(), e);
        } catch (CelEvaluationException e) {
            throw new IllegalArgumentException("CEL rule cannot be planned: " + expression + ": " + e.getMessage(), e);
        }
    }

    /**
     * Evaluates the rule.
     *
     * @param self the value as CEL sees it: Long for integers, Double for numbers, Map and List for objects
     *     and arrays
     * @throws CelEvaluationException when the rule fails at run time (the API server rejects the object then too)
     */
    boolean holdsFor(Object self) throws CelEvaluationException {
        return Boolean.TRUE.equals(program.eval(Map.of("self", self)));
    }

    String expression() {
        return expression;
    }
}
