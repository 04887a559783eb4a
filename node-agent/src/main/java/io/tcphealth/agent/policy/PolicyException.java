package io.tcphealth.agent.policy;

import java.util.List;

/** A policy file that cannot be used, with one message per problem, each naming the field. */
public final class PolicyException extends Exception {
    private static final long serialVersionUID = 1L;

    private final List<String> problems;

    public PolicyException(String source, List<String> problems) {
        super(source + ": " + String.join("; ", problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
