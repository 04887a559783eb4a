package io.tcphealth.agent.cluster;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.atomic.AtomicLong;

/** Creates core/v1 Events of type Warning from component {@code tcphealth-agent} on this node. */
public final class KubeEventSink implements EventSink {
    static final String COMPONENT = "tcphealth-agent";

    private final KubernetesClient client;
    private final String node;
    private final Clock clock;
    private final AtomicLong sequence = new AtomicLong();

    public KubeEventSink(KubernetesClient client, String node, Clock clock) {
        this.client = client;
        this.node = node;
        this.clock = clock;
    }

    @Override
    public void emit(EventTarget target, String reason, String message) {
        String now = clock.instant().truncatedTo(ChronoUnit.SECONDS).toString();
        // Unique per agent process and event, like the names kubectl's own recorders choose.
        String name =
                target.name() + "." + Long.toHexString(clock.millis()) + Long.toHexString(sequence.incrementAndGet());
        Event event = new EventBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace(target.eventNamespace())
                .endMetadata()
                .withNewInvolvedObject()
                .withApiVersion(target.apiVersion())
                .withKind(target.kind())
                .withNamespace(target.namespace())
                .withName(target.name())
                .withUid(target.uid())
                .endInvolvedObject()
                .withReason(reason)
                .withMessage(message)
                .withType("Warning")
                .withNewSource()
                .withComponent(COMPONENT)
                .withHost(node)
                .endSource()
                .withReportingComponent("tcphealth.io/agent")
                .withReportingInstance(node)
                .withFirstTimestamp(now)
                .withLastTimestamp(now)
                .withCount(1)
                .build();
        client.v1()
                .events()
                .inNamespace(target.eventNamespace())
                .resource(event)
                .create();
    }
}
