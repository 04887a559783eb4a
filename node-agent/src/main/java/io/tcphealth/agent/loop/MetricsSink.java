package io.tcphealth.agent.loop;

import io.tcphealth.agent.metrics.ScanMetrics;
import io.tcphealth.agent.policy.AgentPolicy;

/** The agent's one metric set (docs/metrics.md), fed the same way on a plain host and in a cluster. */
public final class MetricsSink implements RoundSink {
    private final ScanMetrics metrics;

    public MetricsSink(ScanMetrics metrics) {
        this.metrics = metrics;
    }

    @Override
    public void roundDone(Round round) {
        metrics.scanned(round.scan(), round.findings());
        metrics.actions(round.remedy().actions());
        metrics.round(!round.remedy().failures().isEmpty());
    }

    @Override
    public void roundFailed(AgentPolicy policy, Exception cause) {
        metrics.scanFailed();
    }
}
