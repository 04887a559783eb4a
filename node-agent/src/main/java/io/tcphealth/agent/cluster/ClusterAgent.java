package io.tcphealth.agent.cluster;

import io.tcphealth.agent.diagnosis.Diagnoser;
import io.tcphealth.agent.diagnosis.Finding;
import io.tcphealth.agent.diagnosis.SocketAges;
import io.tcphealth.agent.metrics.AgentProbes;
import io.tcphealth.agent.metrics.ScanMetrics;
import io.tcphealth.agent.policy.AgentPolicy;
import io.tcphealth.agent.policy.EffectivePolicy;
import io.tcphealth.agent.policy.PolicyException;
import io.tcphealth.agent.scan.NodeScan;
import io.tcphealth.api.v1alpha1.ActionResult;
import io.tcphealth.api.v1alpha1.PolicyRestore;
import io.tcphealth.api.v1alpha1.RemediationAction;
import io.tcphealth.api.v1alpha1.TcpHealthNode;
import io.tcphealth.api.v1alpha1.TcpHealthNodeSpec;
import io.tcphealth.api.v1alpha1.TcpHealthNodeStatus;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The agent in a cluster: every interval, read this node's TcpHealthNode spec (cached by an informer), scan,
 * diagnose, remediate per the spec's mode, then publish the status and announce findings as Events. The API is
 * only ever written to after the node's own work is done, and its failures never stop the loop: scanning and
 * enforcing go on while the API server is away, and the newest status is written once it is back.
 */
public final class ClusterAgent {
    static final Duration WAITING_FOR_SPEC = Duration.ofSeconds(2);
    /** Parts of one agent; every I/O seam is an interface so tests can feed prepared scans. */
    public record Parts(
            String node,
            ScanSource scanner,
            Supplier<Optional<TcpHealthNode>> spec,
            PodLookup pods,
            RoundRemediator remediator,
            StatusPublisher publisher,
            PodEvents events,
            ScanMetrics metrics,
            AgentProbes probes,
            Clock clock,
            Consumer<String> log) {}

    /** What one round did, for tests and logs. */
    public record Round(
            AgentPolicy policy,
            NodeScan scan,
            List<Finding> findings,
            TcpHealthNodeStatus status,
            StatusPublisher.Outcome published,
            int events) {}

    private final Parts parts;
    private final Diagnoser diagnoser = new Diagnoser();
    private final SocketAges ages = new SocketAges();
    private final EffectivePolicy effective = new EffectivePolicy();
    private final StatusBuilder statuses = new StatusBuilder();
    private final PodAttribution attribution;
    private final List<RemediationAction> recentActions = new ArrayList<>();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final CountDownLatch finished = new CountDownLatch(1);
    private volatile Thread loop;
    private AgentPolicy policy;
    private TcpHealthNodeSpec acceptedSpec;
    private Long acceptedGeneration;
    private String refusedSpec;
    private boolean waitingLogged;
    private volatile long rounds;

    public ClusterAgent(Parts parts) {
        this.parts = parts;
        this.attribution = new PodAttribution(parts.pods());
        try {
            this.policy = effective.of(new TcpHealthNodeSpec());
        } catch (PolicyException e) {
            throw new IllegalStateException("The default policy does not validate: " + e.problems(), e);
        }
    }

    /** Runs rounds until {@link #stop()}; returns after undoing transient changes. */
    public void run() {
        loop = Thread.currentThread();
        try {
            while (stopped.getCount() > 0) {
                try {
                    runOnce();
                } catch (RuntimeException e) {
                    // Whatever a round trips over (a parser, the client, a bug), the next round runs: a crash loop
                    // would stop scanning and enforcing on this node and restart the agent for nothing.
                    parts.metrics().scanFailed();
                    parts.log()
                            .accept("Round on node " + parts.node() + " failed, the next one runs in "
                                    + policy.interval().toSeconds() + "s: " + e);
                }
                parts.probes().progressed(policy.interval());
                if (stopped.await(pause().toMillis(), TimeUnit.MILLISECONDS)) {
                    break;
                }
            }
        } catch (InterruptedException e) {
            parts.log().accept("Stopping node " + parts.node() + ": the scan in progress was abandoned");
        } finally {
            Thread.interrupted();
            try {
                parts.remediator().undoTransient();
            } catch (InterruptedException | RuntimeException e) {
                parts.log()
                        .accept("Undoing transient changes on exit did not finish (" + e
                                + "); the next start undoes them");
            }
            // Said here, before the waiting shutdown hook is released: once it returns, the JVM halts.
            parts.log().accept("Agent on node " + parts.node() + " stopped after " + rounds + " scans");
            finished.countDown();
        }
    }

    /** Asks the loop to stop (SIGTERM) and waits at most {@code grace} for it to finish and clean up. */
    public boolean stop(Duration grace) throws InterruptedException {
        stopped.countDown();
        Thread t = loop;
        if (t != null && t != Thread.currentThread()) {
            // Interrupting aborts a scan in progress (each namespace is read on its own thread and checks it).
            t.interrupt();
        }
        return t == null || finished.await(grace.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * How long to wait for the next round: the interval, but at most {@link #WAITING_FOR_SPEC} while this node's
     * TcpHealthNode is not known yet (the informer is still listing, or the operator has not created it), so
     * the first report does not wait a whole interval.
     */
    private java.time.Duration pause() {
        return acceptedGeneration == null && policy.interval().compareTo(WAITING_FOR_SPEC) > 0
                ? WAITING_FOR_SPEC
                : policy.interval();
    }

    /** Whether the loop thread is running. */
    public boolean looping() {
        Thread t = loop;
        return t != null && t.isAlive() && finished.getCount() > 0;
    }

    public long rounds() {
        return rounds;
    }

    /** One round; API trouble is absorbed, only an interrupt escapes. */
    public Round runOnce() throws InterruptedException {
        Optional<TcpHealthNode> node = parts.spec().get();
        TcpHealthNodeSpec spec = node.map(TcpHealthNode::getSpec).orElse(null);
        adopt(spec, node.map(n -> n.getMetadata().getGeneration()).orElse(null));
        if (spec != null) {
            parts.remediator().restoreDeparting(restoring(spec));
        }
        NodeScan scan;
        try {
            scan = parts.scanner()
                    .scan(
                            policy.scope(),
                            new HashSet<>(policy.ports()),
                            policy.thresholds().connections().idleWithoutKeepaliveAfter());
        } catch (IOException e) {
            parts.metrics().scanFailed();
            parts.log().accept("Scan of node " + parts.node() + " failed: " + e.getMessage());
            return new Round(policy, null, List.of(), null, StatusPublisher.Outcome.NOTHING, 0);
        }
        ages.observe(scan);
        List<Finding> findings = new ArrayList<>(diagnoser.diagnose(scan, ages, policy.diagnosisSettings()));
        // Without its TcpHealthNode (not listed yet after a restart, or not created yet) the agent does not know
        // what its policies want: acting on the defaults would put back every value the journal holds, only to
        // set it again once the spec arrives. It changes nothing until it knows.
        RoundRemedy remedy =
                node.isEmpty() ? RoundRemedy.nothing() : parts.remediator().act(policy, scan, ages, findings);
        findings.addAll(remedy.findings());
        findings.sort(Finding.MOST_SEVERE_FIRST);
        List<Finding> attributed = attribution.attach(findings);
        remember(remedy.actions());
        rounds++;
        parts.metrics().scanned(scan, attributed);
        parts.metrics().actions(remedy.actions());
        parts.metrics().round(remedy.actions().stream().anyMatch(a -> a.getResult() == ActionResult.Failed));
        parts.probes().scanned(policy.interval());

        if (node.isEmpty()) {
            if (!waitingLogged) {
                parts.log()
                        .accept("TcpHealthNode " + parts.node()
                                + " does not exist (yet): scanning with defaults, reporting nothing");
                waitingLogged = true;
            }
            return new Round(policy, scan, attributed, null, StatusPublisher.Outcome.NOTHING, 0);
        }
        waitingLogged = false;
        TcpHealthNodeStatus status = statuses.build(new StatusBuilder.Input(
                parts.node(),
                scan,
                attributed,
                remedy,
                List.copyOf(recentActions),
                applied(spec, remedy),
                acceptedGeneration,
                refusedSpec,
                parts.publisher().written(),
                parts.clock().instant()));
        attribution.name(status.getNamespaceCounters());
        parts.publisher().offer(status);
        StatusPublisher.Outcome outcome = parts.publisher().publish();
        int events = parts.events().announce(attributed);
        return new Round(policy, scan, attributed, status, outcome, events);
    }

    /** Takes a new spec into force; a spec that does not validate leaves the previous one in force. */
    private void adopt(TcpHealthNodeSpec spec, Long generation) {
        TcpHealthNodeSpec wanted = spec == null ? new TcpHealthNodeSpec() : spec;
        if (wanted.equals(acceptedSpec)) {
            acceptedGeneration = generation;
            return;
        }
        try {
            AgentPolicy next = effective.of(wanted);
            if (acceptedSpec != null) {
                parts.log()
                        .accept("TcpHealthNode " + parts.node() + " spec changed: now " + next.mode() + " every "
                                + next.interval().toSeconds() + "s, scope " + next.scope() + " (" + next.name() + ")");
            }
            policy = next;
            acceptedSpec = wanted;
            acceptedGeneration = generation;
            refusedSpec = null;
        } catch (PolicyException e) {
            String problems = String.join("; ", e.problems());
            if (!problems.equals(refusedSpec)) {
                parts.log()
                        .accept("Refused the spec of TcpHealthNode " + parts.node() + ", keeping the previous one: "
                                + problems);
            }
            refusedSpec = problems;
        }
    }

    private static List<PolicyRestore> restoring(TcpHealthNodeSpec spec) {
        return spec.getDepartingPolicies() == null ? List.of() : spec.getDepartingPolicies();
    }

    /**
     * Policies in force here plus those whose changes the journal still holds. A departing policy that does
     * not want its changes undone is confirmed at once: there is nothing to wait for.
     */
    static List<String> applied(TcpHealthNodeSpec spec, RoundRemedy remedy) {
        Set<String> out = new HashSet<>(spec.getPolicies() == null ? List.of() : spec.getPolicies());
        Set<String> keep = new HashSet<>();
        for (PolicyRestore p : restoring(spec)) {
            if (!Boolean.FALSE.equals(p.getRestoreOnDelete())) {
                keep.add(p.getPolicy());
            }
        }
        for (String held : remedy.held()) {
            if (out.contains(held) || keep.contains(held)) {
                out.add(held);
            }
        }
        return List.copyOf(out);
    }

    private void remember(List<RemediationAction> actions) {
        List<RemediationAction> newestFirst = new ArrayList<>(actions);
        java.util.Collections.reverse(newestFirst);
        recentActions.addAll(0, newestFirst);
        while (recentActions.size() > TcpHealthNodeStatus.MAX_ACTIONS) {
            recentActions.removeLast();
        }
    }
}
