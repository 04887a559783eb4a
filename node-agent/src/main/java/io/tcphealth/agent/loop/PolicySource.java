package io.tcphealth.agent.loop;

import io.tcphealth.agent.policy.AgentPolicy;
import java.time.Duration;
import java.util.Set;

/**
 * Where the agent loop's policy comes from: a local policy file (or a directory of them), or this node's
 * TcpHealthNode spec. Asked once before every round.
 */
public interface PolicySource {

    /** What the next round acts on; {@link Gone} ends the loop. */
    Next next() throws InterruptedException;

    /** How long to wait after a round: the policy's interval unless the source knows better. */
    default Duration pause(AgentPolicy policy) {
        return policy.interval();
    }

    sealed interface Next permits Act, Gone {}

    /**
     * A round on {@code policy}.
     *
     * @param remediate false while the source does not know what its policies want (remediating on defaults would
     *                  put back every value the journal holds, only to set it again once it knows): scan and report,
     *                  change nothing
     * @param departing policies that left, whose changes are put back before the round
     */
    record Act(AgentPolicy policy, boolean remediate, Set<String> departing) implements Next {
        public Act {
            departing = Set.copyOf(departing);
        }

        public Act(AgentPolicy policy) {
            this(policy, true, Set.of());
        }
    }

    /** The source is gone (its file was removed): what it changed is put back and the loop ends. */
    record Gone() implements Next {}
}
