package io.tcphealth.chart;

import dev.cel.bundle.Cel;
import dev.cel.bundle.CelFactory;
import dev.cel.common.CelValidationException;
import dev.cel.common.types.SimpleType;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.Program;
import java.util.Map;

/**
 * One CEL expression of a ValidatingAdmissionPolicy, compiled with the variables the API server gives it
 * ({@code request}, {@code object}, {@code oldObject}, {@code variables}) and the standard macros.
 */
final class AdmissionExpression {

    private static final Cel CEL = CelFactory.standardCelBuilder()
            .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
            .addVar("request", SimpleType.DYN)
            .addVar("object", SimpleType.DYN)
            .addVar("oldObject", SimpleType.DYN)
            .addVar("variables", SimpleType.DYN)
            .build();

    private final String expression;
    private final Program program;

    AdmissionExpression(String expression) {
        this.expression = expression;
        try {
            program = CEL.createProgram(CEL.compile(expression).getAst());
        } catch (CelValidationException e) {
            throw new IllegalArgumentException("Does not compile: " + expression + ": " + e.getMessage(), e);
        } catch (CelEvaluationException e) {
            throw new IllegalArgumentException("Cannot be planned: " + expression + ": " + e.getMessage(), e);
        }
    }

    /**
     * Evaluates the expression for one request.
     *
     * @param request the AdmissionRequest as CEL sees it: maps, lists and strings
     * @param variables the policy's variables already evaluated for this request
     */
    Object evaluate(Map<String, Object> request, Map<String, Object> variables) throws CelEvaluationException {
        Object object = request.getOrDefault("object", Map.of());
        Object oldObject = request.getOrDefault("oldObject", Map.of());
        return program.eval(
                Map.of("request", request, "object", object, "oldObject", oldObject, "variables", variables));
    }

    String expression() {
        return expression;
    }
}
