package io.tcphealth.apitest;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.authentication.TokenRequest;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Map;

/**
 * Node objects without kubelets, and pods that exist only as API objects (nothing runs them), so that
 * service-account tokens can be bound to them as the kubelet's would be: a token bound to a Pod on a Node
 * carries the node's name (user extra {@code authentication.kubernetes.io/node-name}).
 */
final class Identities {

    private Identities() {}

    static Node node(KubernetesClient admin, String name, Map<String, String> labels) {
        return admin.nodes()
                .resource(new NodeBuilder()
                        .withNewMetadata()
                        .withName(name)
                        .withLabels(labels)
                        .endMetadata()
                        .build())
                .create();
    }

    /** A pod made from a workload's pod template, as its controller would make it, placed on a node (or none). */
    static Pod pod(KubernetesClient admin, String namespace, String name, PodTemplateSpec template, String node) {
        Pod pod = new PodBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace(namespace)
                .withLabels(template.getMetadata().getLabels())
                .withAnnotations(template.getMetadata().getAnnotations())
                .endMetadata()
                .withSpec(template.getSpec())
                .build();
        pod.getSpec().setNodeName(node);
        return admin.pods().inNamespace(namespace).resource(pod).create();
    }

    /** A token of the pod's service account bound to that pod, as the kubelet requests it for the pod. */
    static String tokenFor(KubernetesClient admin, Pod pod) {
        TokenRequest request = new TokenRequestBuilder()
                .withNewSpec()
                .withNewBoundObjectRef()
                .withApiVersion("v1")
                .withKind("Pod")
                .withName(pod.getMetadata().getName())
                .withUid(pod.getMetadata().getUid())
                .endBoundObjectRef()
                .withExpirationSeconds(3600L)
                .endSpec()
                .build();
        return admin.serviceAccounts()
                .inNamespace(pod.getMetadata().getNamespace())
                .withName(pod.getSpec().getServiceAccountName())
                .tokenRequest(request)
                .getStatus()
                .getToken();
    }

    /** A token of the service account bound to nothing: no node claim. */
    static String unboundToken(KubernetesClient admin, String namespace, String account) {
        return admin.serviceAccounts()
                .inNamespace(namespace)
                .withName(account)
                .tokenRequest(new TokenRequestBuilder()
                        .withNewSpec()
                        .withExpirationSeconds(3600L)
                        .endSpec()
                        .build())
                .getStatus()
                .getToken();
    }
}
