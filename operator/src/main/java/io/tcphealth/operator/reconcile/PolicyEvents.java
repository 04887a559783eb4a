package io.tcphealth.operator.reconcile;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.tcphealth.api.v1alpha1.TcpHealthPolicy;
import io.tcphealth.operator.status.Conditions;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kubernetes Events on a policy, so {@code kubectl describe tcphealth NAME} tells its story. Policies are
 * cluster-scoped; their Events live in a configured namespace. An Event that cannot be written is logged
 * and dropped: it never fails a reconcile.
 */
final class PolicyEvents {

    private static final Logger LOG = LoggerFactory.getLogger(PolicyEvents.class);

    private final KubernetesClient client;
    private final String namespace;
    private final Clock clock;

    PolicyEvents(KubernetesClient client, String namespace, Clock clock) {
        this.client = client;
        this.namespace = namespace;
        this.clock = clock;
    }

    /** One Event per condition whose status or reason changed between the two lists. */
    void conditionChanges(TcpHealthPolicy policy, List<Condition> before, List<Condition> after) {
        for (Condition condition : after) {
            Condition previous = Conditions.find(before, condition.getType());
            if (previous != null
                    && Objects.equals(previous.getStatus(), condition.getStatus())
                    && Objects.equals(previous.getReason(), condition.getReason())) {
                continue;
            }
            boolean bad = switch (condition.getType()) {
                case Conditions.READY -> "False".equals(condition.getStatus()) && previous != null;
                case Conditions.DEGRADED, Conditions.CONFLICT -> "True".equals(condition.getStatus());
                default -> false;
            };
            if (previous == null && !bad && !"True".equals(condition.getStatus())) {
                continue;
            }
            emit(
                    policy,
                    bad ? "Warning" : "Normal",
                    condition.getReason(),
                    condition.getType() + " is " + condition.getStatus() + ": " + condition.getMessage());
        }
    }

    void emit(TcpHealthPolicy policy, String type, String reason, String message) {
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        String name = policy.getMetadata().getName() + "."
                + Long.toHexString(clock.instant().toEpochMilli())
                + Integer.toHexString(Math.floorMod(Objects.hash(reason, message), 0xffff));
        Event event = new EventBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace(namespace)
                .endMetadata()
                .withNewInvolvedObject()
                .withApiVersion(policy.getApiVersion())
                .withKind(policy.getKind())
                .withName(policy.getMetadata().getName())
                .withUid(policy.getMetadata().getUid())
                .endInvolvedObject()
                .withType(type)
                .withReason(reason)
                .withMessage(message.length() > 1000 ? message.substring(0, 1000) + "..." : message)
                .withFirstTimestamp(now.toString())
                .withLastTimestamp(now.toString())
                .withCount(1)
                .withNewSource()
                .withComponent("tcphealth-operator")
                .endSource()
                .withReportingComponent("tcphealth.io/operator")
                .build();
        try {
            client.v1().events().inNamespace(namespace).resource(event).create();
        } catch (KubernetesClientException e) {
            LOG.warn(
                    "Could not record Event {} on TcpHealthPolicy {}: {}",
                    reason,
                    policy.getMetadata().getName(),
                    e.getMessage());
        }
    }
}
