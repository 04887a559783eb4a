package io.tcphealth.agent.cluster;

/**
 * The object an Event is about.
 *
 * @param eventNamespace where the Event is created: the pod's namespace, or a fixed one for the cluster-scoped
 *                       TcpHealthNode
 */
public record EventTarget(
        String apiVersion, String kind, String namespace, String name, String uid, String eventNamespace) {

    public static EventTarget pod(PodRef pod) {
        return new EventTarget("v1", "Pod", pod.namespace(), pod.name(), pod.uid(), pod.namespace());
    }

    public static EventTarget node(String nodeName, String uid, String eventNamespace) {
        return new EventTarget("tcphealth.io/v1alpha1", "TcpHealthNode", null, nodeName, uid, eventNamespace);
    }
}
