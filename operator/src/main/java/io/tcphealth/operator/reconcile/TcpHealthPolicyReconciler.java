package io.tcphealth.operator.reconcile;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.IndexerResourceCache;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.tcphealth.api.v1alpha1.ConditionTypes;
import io.tcphealth.api.v1alpha1.PolicyRestore;
import io.tcphealth.api.v1alpha1.TcpHealthNode;
import io.tcphealth.api.v1alpha1.TcpHealthPolicy;
import io.tcphealth.api.v1alpha1.TcpHealthPolicyStatus;
import io.tcphealth.api.v1alpha1.merge.PolicyMerge;
import io.tcphealth.operator.agent.AgentDaemonSet;
import io.tcphealth.operator.config.OperatorSettings;
import io.tcphealth.operator.fleet.FleetInputs;
import io.tcphealth.operator.fleet.FleetPlan;
import io.tcphealth.operator.fleet.FleetPlanner;
import io.tcphealth.operator.fleet.NodeLiveness;
import io.tcphealth.operator.metrics.OperatorMetrics;
import io.tcphealth.operator.status.PolicyStatusAggregator;
import io.tcphealth.operator.status.StatusRateLimiter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one reconciler: TcpHealthPolicy is its primary resource; nodes, TcpHealthNodes and the agent
 * DaemonSet are watched through informers. Every reconcile observes the caches, plans the whole fleet
 * ({@link FleetPlanner}), writes the differences, and derives this policy's status. Deleting a policy runs
 * the restore flow before its finalizer lets go.
 */
public final class TcpHealthPolicyReconciler implements Reconciler<TcpHealthPolicy>, Cleaner<TcpHealthPolicy> {

    public static final String FINALIZER = "tcphealth.io/restore";
    private static final Logger LOG = LoggerFactory.getLogger(TcpHealthPolicyReconciler.class);
    private static final Duration RESTORE_POLL = Duration.ofSeconds(5);
    private static final Duration MAX_RESCHEDULE = Duration.ofMinutes(10);
    private static final Duration FULL_REPLAN = Duration.ofMinutes(1);

    private final OperatorSettings settings;
    private final FleetWriter writer;
    private final PolicyEvents events;
    private final OperatorMetrics metrics;
    private final Clock clock;
    private final NodeLiveness liveness;
    private final PolicyStatusAggregator aggregator;
    private final StatusRateLimiter limiter;
    private final Set<String> waitingAnnounced = ConcurrentHashMap.newKeySet();
    // Plans and writes for the whole fleet; one at a time, so concurrent reconciles never race each other.
    private final Object fleetLock = new Object();
    private FleetPlan lastPlan;
    private long lastFingerprint;
    private Instant lastPlanAt = Instant.MIN;

    private InformerEventSource<Node, TcpHealthPolicy> nodeSource;
    private InformerEventSource<TcpHealthNode, TcpHealthPolicy> tcpHealthNodeSource;
    private InformerEventSource<DaemonSet, TcpHealthPolicy> daemonSetSource;

    public TcpHealthPolicyReconciler(
            KubernetesClient client, OperatorSettings settings, OperatorMetrics metrics, Clock clock) {
        this.settings = settings;
        this.writer = new FleetWriter(client, settings.namespace());
        this.events = new PolicyEvents(client, settings.eventNamespace(), clock);
        this.metrics = metrics;
        this.clock = clock;
        this.liveness = new NodeLiveness(settings.agent().heartbeat(), settings.staleGrace());
        this.aggregator = new PolicyStatusAggregator(liveness);
        this.limiter = new StatusRateLimiter(settings.statusMinInterval());
    }

    @Override
    public List<EventSource<?, TcpHealthPolicy>> prepareEventSources(EventSourceContext<TcpHealthPolicy> context) {
        IndexerResourceCache<TcpHealthPolicy> policies = context.getPrimaryCache();
        nodeSource = new InformerEventSource<>(
                InformerEventSourceConfiguration.from(Node.class, TcpHealthPolicy.class)
                        .withName("nodes")
                        .withItemStore(new NodeLabelStore())
                        .withSecondaryToPrimaryMapper(node -> allPolicies(policies))
                        // Kubelets update their Node every few seconds; only label changes move a node between
                        // policies.
                        .withOnUpdateFilter((updated, old) -> !Objects.equals(
                                updated.getMetadata().getLabels(),
                                old.getMetadata().getLabels()))
                        .build(),
                context);
        tcpHealthNodeSource = new InformerEventSource<>(
                InformerEventSourceConfiguration.from(TcpHealthNode.class, TcpHealthPolicy.class)
                        .withName("tcphealthnodes")
                        .withSecondaryToPrimaryMapper(TcpHealthPolicyReconciler::policiesOf)
                        .build(),
                context);
        daemonSetSource = new InformerEventSource<>(
                InformerEventSourceConfiguration.from(DaemonSet.class, TcpHealthPolicy.class)
                        .withName("agent-daemonset")
                        .withNamespaces(settings.namespace())
                        .withLabelSelector("app.kubernetes.io/name=tcphealth-agent")
                        .withSecondaryToPrimaryMapper(ds -> allPolicies(policies))
                        // Rollout progress changes only the DaemonSet's status; a changed or deleted spec needs repair.
                        .withOnUpdateFilter((updated, old) -> !Objects.equals(updated.getSpec(), old.getSpec()))
                        .build(),
                context);
        return List.of(nodeSource, tcpHealthNodeSource, daemonSetSource);
    }

    @Override
    public UpdateControl<TcpHealthPolicy> reconcile(TcpHealthPolicy policy, Context<TcpHealthPolicy> context) {
        String name = policy.getMetadata().getName();
        Instant now = clock.instant();
        Planned planned = planAndApply(context.getPrimaryCache().list().toList(), now);
        FleetPlan plan = planned.plan();
        Map<String, TcpHealthNode> fleet = planned.fleet();
        census(fleet.values(), now);
        List<TcpHealthNode> mine = fleet.values().stream()
                .filter(n -> n.getSpec() != null
                        && n.getSpec().getPolicies() != null
                        && n.getSpec().getPolicies().contains(name))
                .toList();
        List<String> problems = plan.problems().getOrDefault(name, List.of());
        TcpHealthPolicyStatus status = aggregator.aggregate(policy, problems, mine, now);
        Duration recheck = aggregator
                .nextStaleness(mine, now)
                .map(at -> Duration.between(now, at).plusSeconds(1))
                .filter(d -> d.compareTo(MAX_RESCHEDULE) < 0)
                .orElse(MAX_RESCHEDULE);
        TcpHealthPolicyStatus previous = policy.getStatus();
        if (status.equals(previous)) {
            return UpdateControl.<TcpHealthPolicy>noUpdate().rescheduleAfter(recheck);
        }
        boolean newGeneration =
                previous == null || !Objects.equals(previous.getObservedGeneration(), status.getObservedGeneration());
        Duration wait = limiter.wait(name, now, newGeneration);
        if (!wait.isZero()) {
            return UpdateControl.<TcpHealthPolicy>noUpdate()
                    .rescheduleAfter(wait.compareTo(recheck) < 0 ? wait : recheck);
        }
        events.conditionChanges(
                policy, previous == null ? List.of() : previous.getConditions(), status.getConditions());
        limiter.written(name, now);
        policy.setStatus(status);
        return UpdateControl.patchStatus(policy).rescheduleAfter(recheck);
    }

    @Override
    public DeleteControl cleanup(TcpHealthPolicy policy, Context<TcpHealthPolicy> context) {
        String name = policy.getMetadata().getName();
        Instant now = clock.instant();
        // The policy counts as deleting: nodes drop it and list it as departing while their agents hold it.
        Map<String, TcpHealthNode> fleet =
                planAndApply(context.getPrimaryCache().list().toList(), now).fleet();
        List<String> holding = PolicyMerge.restoreOnDelete(policy) ? holding(name, fleet, now) : List.of();
        Instant deadline = deletionTime(policy, now).plus(settings.restoreTimeout());
        if (!holding.isEmpty() && now.isBefore(deadline)) {
            if (waitingAnnounced.add(name)) {
                events.emit(
                        policy,
                        "Normal",
                        "WaitingForRestore",
                        "Waiting up to " + settings.restoreTimeout().toSeconds()
                                + "s for agents to restore what this policy changed on " + holding.size() + " node(s): "
                                + shortList(holding));
                LOG.info(
                        "TcpHealthPolicy {} is being deleted; waiting for nodes {} to restore its changes",
                        name,
                        holding);
            }
            Duration poll = Duration.between(now, deadline);
            return DeleteControl.noFinalizerRemoval()
                    .rescheduleAfter((poll.compareTo(RESTORE_POLL) < 0 ? poll : RESTORE_POLL).toMillis() + 1);
        }
        if (!holding.isEmpty()) {
            events.emit(
                    policy,
                    "Warning",
                    "RestoreTimedOut",
                    "Agents did not confirm restoring this policy's changes within "
                            + settings.restoreTimeout().toSeconds() + "s on: " + shortList(holding)
                            + "; their journals keep the original values");
            LOG.warn("TcpHealthPolicy {} released without restore confirmation from nodes {}", name, holding);
        } else {
            events.emit(policy, "Normal", "Released", "Removed from every node; nothing left to restore");
        }
        List<TcpHealthPolicy> others = context.getPrimaryCache()
                .list()
                .filter(p -> !p.getMetadata().getName().equals(name))
                .toList();
        fleet = planAndApply(others, now).fleet();
        census(fleet.values(), now);
        waitingAnnounced.remove(name);
        limiter.forget(name);
        LOG.info("TcpHealthPolicy {} released", name);
        return DeleteControl.defaultDelete();
    }

    /** Nodes whose live agent still lists the policy among the ones whose changes it holds. */
    private List<String> holding(String policy, Map<String, TcpHealthNode> fleet, Instant now) {
        Set<String> liveNodes = new HashSet<>(nodes().keySet());
        return fleet.values().stream()
                .filter(n -> n.getStatus() != null
                        && n.getStatus().getAppliedPolicies() != null
                        && n.getStatus().getAppliedPolicies().contains(policy))
                .filter(n -> liveNodes.contains(n.getMetadata().getName()) && !liveness.stale(n, now))
                .map(n -> n.getMetadata().getName())
                .sorted()
                .toList();
    }

    /** A fleet plan and the TcpHealthNodes as they are once it is applied. */
    private record Planned(FleetPlan plan, Map<String, TcpHealthNode> fleet) {}

    /**
     * Plans the fleet for these policies and writes what differs; skips both when nothing the plan depends
     * on changed since the last applied plan (agents' heartbeats), but replans at least every
     * {@link #FULL_REPLAN} in any case.
     */
    private Planned planAndApply(List<TcpHealthPolicy> policies, Instant now) {
        synchronized (fleetLock) {
            Map<String, Node> nodes = nodes();
            Map<String, TcpHealthNode> existing = tcpHealthNodes();
            Optional<DaemonSet> current =
                    daemonSetSource.get(new ResourceID(AgentDaemonSet.NAME, settings.namespace()));
            long fingerprint = FleetInputs.fingerprint(policies, nodes.values(), existing, current);
            if (lastPlan != null && fingerprint == lastFingerprint && now.isBefore(lastPlanAt.plus(FULL_REPLAN))) {
                return new Planned(lastPlan, existing);
            }
            FleetPlan plan = FleetPlanner.plan(policies, nodes.values(), existing);
            Map<String, TcpHealthNode> after = writer.applyNodes(plan, existing, nodes);
            writer.applyDaemonSet(
                    AgentDaemonSet.desired(
                            plan.demands(),
                            plan.drainingNodes(),
                            !plan.podNamespaceRestores().isEmpty(),
                            settings.agent()),
                    current);
            // Remembered only once every write succeeded, so a failed apply is planned again.
            lastPlan = plan;
            lastFingerprint = fingerprint;
            lastPlanAt = now;
            return new Planned(plan, after);
        }
    }

    private void census(Collection<TcpHealthNode> fleet, Instant now) {
        Map<OperatorMetrics.NodeHealth, Long> census = new EnumMap<>(OperatorMetrics.NodeHealth.class);
        for (TcpHealthNode node : fleet) {
            OperatorMetrics.NodeHealth health;
            if (liveness.stale(node, now)) {
                health = OperatorMetrics.NodeHealth.stale;
            } else if (node.getStatus() == null || node.getStatus().getConditions() == null) {
                health = OperatorMetrics.NodeHealth.unknown;
            } else {
                health = node.getStatus().getConditions().stream()
                        .filter(c -> ConditionTypes.HEALTHY.equals(c.getType()))
                        .map(c -> switch (c.getStatus()) {
                            case "True" -> OperatorMetrics.NodeHealth.healthy;
                            case "False" -> OperatorMetrics.NodeHealth.unhealthy;
                            default -> OperatorMetrics.NodeHealth.unknown;
                        })
                        .findFirst()
                        .orElse(OperatorMetrics.NodeHealth.unknown);
            }
            census.merge(health, 1L, Long::sum);
        }
        metrics.nodes(census);
    }

    private Map<String, Node> nodes() {
        return nodeSource
                .list()
                .collect(Collectors.toMap(n -> n.getMetadata().getName(), n -> n, (a, b) -> a, TreeMap::new));
    }

    private Map<String, TcpHealthNode> tcpHealthNodes() {
        return tcpHealthNodeSource
                .list()
                .collect(Collectors.toMap(n -> n.getMetadata().getName(), n -> n, (a, b) -> a, TreeMap::new));
    }

    private static Set<ResourceID> allPolicies(IndexerResourceCache<TcpHealthPolicy> policies) {
        return policies.list()
                .map(p -> new ResourceID(p.getMetadata().getName()))
                .collect(Collectors.toSet());
    }

    /** The policies a TcpHealthNode concerns: those it applies, those departing, those its agent holds. */
    static Set<ResourceID> policiesOf(TcpHealthNode node) {
        Set<String> names = new HashSet<>();
        if (node.getSpec() != null) {
            if (node.getSpec().getPolicies() != null) {
                names.addAll(node.getSpec().getPolicies());
            }
            if (node.getSpec().getDepartingPolicies() != null) {
                node.getSpec().getDepartingPolicies().stream()
                        .map(PolicyRestore::getPolicy)
                        .forEach(names::add);
            }
        }
        if (node.getStatus() != null && node.getStatus().getAppliedPolicies() != null) {
            names.addAll(node.getStatus().getAppliedPolicies());
        }
        return names.stream().filter(Objects::nonNull).map(ResourceID::new).collect(Collectors.toSet());
    }

    private static Instant deletionTime(TcpHealthPolicy policy, Instant fallback) {
        String text = policy.getMetadata().getDeletionTimestamp();
        try {
            return text == null ? fallback : Instant.parse(text);
        } catch (DateTimeParseException e) {
            return fallback;
        }
    }

    private static String shortList(List<String> names) {
        return names.size() <= 5
                ? String.join(", ", names)
                : String.join(", ", names.subList(0, 5)) + " and " + (names.size() - 5) + " more";
    }
}
