package io.tcphealth.agent.cluster;

import io.tcphealth.agent.diagnosis.Finding;
import io.tcphealth.agent.diagnosis.FindingType;
import io.tcphealth.agent.metrics.ApiCalls;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Announces new and worsened findings as Events: on the offending Pod when the finding has one (so
 * {@code kubectl describe pod} shows the leak), and on the node's TcpHealthNode. {@link FindingEvents} decides
 * what is due; this class spends the request budget on it, at most {@link #MAX_PER_ROUND} findings a round,
 * most severe first. What could not be sent stays due for the next round. Never throws.
 */
public final class PodEvents {
    static final int MAX_PER_ROUND = 5;

    private final FindingEvents decisions = new FindingEvents();
    private final EventSink sink;
    private final PodAttribution pods;
    private final Supplier<Optional<EventTarget>> nodeTarget;
    private final TokenBucket bucket;
    private final Clock clock;
    private final ApiCalls calls;
    private final Consumer<String> log;
    private boolean failing;

    /** @param nodeTarget the TcpHealthNode to announce on, empty while it does not exist */
    public PodEvents(
            EventSink sink,
            PodAttribution pods,
            Supplier<Optional<EventTarget>> nodeTarget,
            TokenBucket bucket,
            Clock clock,
            ApiCalls calls,
            Consumer<String> log) {
        this.sink = sink;
        this.pods = pods;
        this.nodeTarget = nodeTarget;
        this.bucket = bucket;
        this.clock = clock;
        this.calls = calls;
        this.log = log;
    }

    /** @return how many findings were announced */
    public int announce(List<Finding> findings) {
        Instant now = clock.instant();
        int sent = 0;
        for (FindingEvents.Due due : decisions.due(findings, now)) {
            if (sent >= MAX_PER_ROUND) {
                calls.deferred("event");
                break;
            }
            Finding f = due.finding();
            Optional<PodRef> pod = pods.podOf(f);
            Optional<EventTarget> node = nodeTarget.get();
            if (pod.isEmpty() && node.isEmpty()) {
                continue;
            }
            String message = message(f, pod);
            // Both Events of a finding or neither: a pod Event sent while its node Event waits for the budget
            // would be sent again next scan, and again.
            if (!bucket.tryAcquire((pod.isPresent() ? 1 : 0) + (node.isPresent() ? 1 : 0))) {
                calls.deferred("event");
                break;
            }
            try {
                if (pod.isPresent()) {
                    send(EventTarget.pod(pod.get()), f, message);
                }
            } catch (RuntimeException e) {
                failed(f, e);
                break;
            }
            boolean complete = true;
            if (node.isPresent()) {
                try {
                    send(node.get(), f, pod.map(p -> p.qualifiedName() + ": ").orElse("") + message);
                } catch (RuntimeException e) {
                    // The pod's Event is out; the node's is a summary: not worth sending the pod's again for.
                    failed(f, e);
                    if (pod.isEmpty()) {
                        break;
                    }
                    complete = false;
                }
            }
            failing = !complete;
            decisions.announced(f, now);
            sent++;
        }
        return sent;
    }

    private void send(EventTarget target, Finding f, String message) {
        sink.emit(target, f.type().name(), message);
        calls.succeeded("event");
    }

    private void failed(Finding f, RuntimeException e) {
        calls.failed("event");
        if (!failing) {
            log.accept("Creating an Event for " + f.type() + " failed; it is sent again next scan: " + e.getMessage());
        }
        failing = true;
    }

    /** "CLOSE_WAIT leak: 340 CLOSE_WAIT sockets on :9080 held by java (pid 4711) for 42m (container api)". */
    static String message(Finding f, Optional<PodRef> pod) {
        String container = pod.flatMap(p -> p.containerName(f.containerId()))
                .map(c -> " (container " + c + ")")
                .orElse("");
        String text = title(f.type()) + ": " + f.message() + container;
        return text.length() > 1000 ? text.substring(0, 1000) + "..." : text;
    }

    static String title(FindingType type) {
        return switch (type) {
            case CloseWaitLeak -> "CLOSE_WAIT leak";
            case UnreadReceiveQueue -> "Unread receive queue";
            case FinWait1Stuck -> "FIN_WAIT1 stuck";
            case OrphanPressure -> "Orphan pressure";
            case PortOccupied -> "Port occupied";
            case ZombieProcesses -> "Zombie processes";
            case ZombieHoldsSockets -> "Zombie holds sockets";
            case FdExhaustionRisk -> "File descriptors running out";
            case SysctlDrift -> "Sysctl drift";
            case EphemeralPortExhaustion -> "Ephemeral ports running out";
            case ListenQueueOverflow -> "Listen queue overflow";
            case StalledConnection -> "Stalled connection";
            case TcpMemoryPressure -> "TCP memory pressure";
            case ZeroWindowStall -> "Zero window stall";
            case IdleWithoutKeepalive -> "Idle without keepalive";
        };
    }
}
