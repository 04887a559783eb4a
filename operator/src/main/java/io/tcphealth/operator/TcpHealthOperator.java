package io.tcphealth.operator;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfigurationBuilder;
import io.tcphealth.operator.config.OperatorSettings;
import io.tcphealth.operator.metrics.OperatorMetrics;
import io.tcphealth.operator.reconcile.TcpHealthPolicyReconciler;
import java.time.Clock;

/**
 * The operator as one object: JOSDK with server-side apply off (the operator patches with JSON patches and
 * merge patches only, which every API server and the test mock accept), the policy reconciler, metrics and,
 * when configured, leader election through a Lease.
 *
 * <p>Patches rather than server-side apply on a real API server too: every field set has exactly one writer
 * (the leader: policy status, TcpHealthNode spec, the DaemonSet; each agent: its own node's status) and no
 * write carries a resourceVersion, so concurrent spec and status writes never conflict. Apply would work under
 * the chart's RBAC as well, but while the CRDs' lists are atomic it only adds field ownership that nobody
 * else contends for.
 */
public final class TcpHealthOperator implements AutoCloseable {

    private final Operator operator;

    /**
     * @param exitOnLostLease whether losing the Lease ends the process (so the pod restarts as a follower);
     *     tests that stop operators inside one JVM turn it off
     */
    public TcpHealthOperator(
            KubernetesClient client,
            OperatorSettings settings,
            OperatorMetrics metrics,
            Clock clock,
            boolean exitOnLostLease) {
        operator = new Operator(overrider -> {
            overrider
                    .withKubernetesClient(client)
                    .withUseSSAToPatchPrimaryResource(false)
                    .withSSABasedCreateUpdateMatchForDependentResources(false)
                    .withMetrics(metrics)
                    .withCloseClientOnStop(false);
            if (settings.leaderElection()) {
                overrider.withLeaderElectionConfiguration(
                        LeaderElectionConfigurationBuilder.aLeaderElectionConfiguration(settings.leaseName())
                                .withLeaseNamespace(settings.namespace())
                                .withExitOnStopLeading(exitOnLostLease)
                                .build());
            }
        });
        operator.register(
                new TcpHealthPolicyReconciler(client, settings, metrics, clock),
                override -> override.withFinalizer(TcpHealthPolicyReconciler.FINALIZER)
                        .withName("tcphealthpolicy"));
    }

    public void start() {
        operator.start();
    }

    @Override
    public void close() {
        operator.stop();
    }
}
