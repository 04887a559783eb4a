package io.tcphealth.agent.remediation;

import java.util.List;

/**
 * The actions of one round, in ladder order (sysctls, sockets, orphan pulse, zombies), and notes on
 * what was not planned and why.
 */
public record Plan(List<PlannedAction> actions, List<String> notes) {

    public Plan {
        actions = List.copyOf(actions);
        notes = List.copyOf(notes);
    }
}
