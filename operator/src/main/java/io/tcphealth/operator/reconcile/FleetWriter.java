package io.tcphealth.operator.reconcile;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.tcphealth.api.v1alpha1.TcpHealthNode;
import io.tcphealth.api.v1alpha1.TcpHealthNodeSpec;
import io.tcphealth.operator.agent.AgentDaemonSet;
import io.tcphealth.operator.fleet.FleetPlan;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes the cluster match a fleet plan: creates, updates and deletes TcpHealthNodes and the agent
 * DaemonSet, writing only what differs. The operator owns the TcpHealthNode spec; the status belongs to
 * the agent and is never written here.
 */
final class FleetWriter {

    private static final Logger LOG = LoggerFactory.getLogger(FleetWriter.class);
    static final Map<String, String> MANAGED_LABELS = Map.of("app.kubernetes.io/managed-by", "tcphealth-operator");

    private final KubernetesClient client;
    private final String namespace;

    FleetWriter(KubernetesClient client, String namespace) {
        this.client = client;
        this.namespace = namespace;
    }

    /**
     * Applies the node part of the plan.
     *
     * @return the TcpHealthNodes as they are after the writes, by name (deleted ones absent)
     */
    Map<String, TcpHealthNode> applyNodes(
            FleetPlan plan, Map<String, TcpHealthNode> existing, Map<String, Node> nodes) {
        Map<String, TcpHealthNode> after = new HashMap<>(existing);
        plan.nodeSpecs().forEach((name, spec) -> {
            TcpHealthNode current = existing.get(name);
            if (current == null) {
                after.put(name, create(name, spec, nodes.get(name)));
            } else if (!Objects.equals(current.getSpec(), spec)) {
                after.put(
                        name,
                        client.resources(TcpHealthNode.class).withName(name).edit(node -> {
                            node.setSpec(spec);
                            return node;
                        }));
                LOG.info(
                        "Updated TcpHealthNode {}: policies {}, departing {}",
                        name,
                        spec.getPolicies(),
                        spec.getDepartingPolicies().stream()
                                .map(d -> d.getPolicy())
                                .toList());
            }
        });
        for (String name : plan.obsoleteNodes()) {
            client.resources(TcpHealthNode.class).withName(name).delete();
            after.remove(name);
            LOG.info("Deleted TcpHealthNode {}: no policy applies or departs there, or the node is gone", name);
        }
        return after;
    }

    /** Creates, updates or deletes the agent DaemonSet so it matches {@code desired}. */
    void applyDaemonSet(Optional<DaemonSet> desired, Optional<DaemonSet> current) {
        if (desired.isEmpty()) {
            if (current.isPresent()) {
                client.apps()
                        .daemonSets()
                        .inNamespace(namespace)
                        .withName(AgentDaemonSet.NAME)
                        .delete();
                LOG.info("Deleted DaemonSet {}/{}: no policy needs an agent", namespace, AgentDaemonSet.NAME);
            }
            return;
        }
        DaemonSet wanted = desired.get();
        String wantedHash = wanted.getMetadata().getAnnotations().get(AgentDaemonSet.SPEC_HASH_ANNOTATION);
        if (current.isEmpty()) {
            client.apps().daemonSets().inNamespace(namespace).resource(wanted).create();
            LOG.info("Created DaemonSet {}/{}", namespace, AgentDaemonSet.NAME);
            return;
        }
        Map<String, String> annotations = current.get().getMetadata().getAnnotations();
        boolean sameSpec =
                annotations != null && wantedHash.equals(annotations.get(AgentDaemonSet.SPEC_HASH_ANNOTATION));
        boolean tampered = !AgentDaemonSet.fingerprint(wanted).equals(AgentDaemonSet.fingerprint(current.get()));
        if (sameSpec && !tampered) {
            return;
        }
        if (tampered && sameSpec) {
            LOG.warn(
                    "DaemonSet {}/{} was changed by hand (image, privileges, host paths or placement); restoring it",
                    namespace,
                    AgentDaemonSet.NAME);
        }
        client.apps()
                .daemonSets()
                .inNamespace(namespace)
                .withName(AgentDaemonSet.NAME)
                .edit(ds -> {
                    ds.setSpec(wanted.getSpec());
                    ds.getMetadata().setLabels(wanted.getMetadata().getLabels());
                    Map<String, String> merged = new HashMap<>(
                            ds.getMetadata().getAnnotations() == null
                                    ? Map.of()
                                    : ds.getMetadata().getAnnotations());
                    merged.putAll(wanted.getMetadata().getAnnotations());
                    ds.getMetadata().setAnnotations(merged);
                    return ds;
                });
        LOG.info("Updated DaemonSet {}/{} to spec {}", namespace, AgentDaemonSet.NAME, wantedHash);
    }

    private TcpHealthNode create(String name, TcpHealthNodeSpec spec, Node node) {
        TcpHealthNode created = new TcpHealthNode();
        created.getMetadata().setName(name);
        created.getMetadata().setLabels(MANAGED_LABELS);
        if (node != null && node.getMetadata().getUid() != null) {
            // The node owns its TcpHealthNode, so the garbage collector removes it with the node even while the
            // operator is down.
            created.getMetadata()
                    .setOwnerReferences(List.of(new OwnerReferenceBuilder()
                            .withApiVersion("v1")
                            .withKind("Node")
                            .withName(name)
                            .withUid(node.getMetadata().getUid())
                            .build()));
        }
        created.setSpec(spec);
        try {
            TcpHealthNode result = client.resource(created).create();
            LOG.info("Created TcpHealthNode {}: policies {}", name, spec.getPolicies());
            return result;
        } catch (KubernetesClientException e) {
            if (e.getCode() != 409) {
                throw e;
            }
            // Created meanwhile (the cache had not caught up): bring its spec in line instead.
            return client.resources(TcpHealthNode.class).withName(name).edit(existing -> {
                existing.setSpec(spec);
                return existing;
            });
        }
    }
}
