package io.tcphealth.agent.loop;

import io.tcphealth.agent.policy.AgentPolicy;
import java.util.List;

/**
 * Where a round's outcome goes: the console and the metrics on a plain host; the TcpHealthNode status, Events and
 * the metrics in a cluster.
 */
public interface RoundSink {

    void roundDone(Round round);

    /** The round did not complete: the scan failed ({@code IOException}) or something unexpected was thrown. */
    void roundFailed(AgentPolicy policy, Exception cause);

    /** Each sink in turn. */
    static RoundSink all(RoundSink... sinks) {
        List<RoundSink> each = List.of(sinks);
        return new RoundSink() {
            @Override
            public void roundDone(Round round) {
                each.forEach(s -> s.roundDone(round));
            }

            @Override
            public void roundFailed(AgentPolicy policy, Exception cause) {
                each.forEach(s -> s.roundFailed(policy, cause));
            }
        };
    }
}
