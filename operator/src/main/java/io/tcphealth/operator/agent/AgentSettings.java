package io.tcphealth.operator.agent;

import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.Toleration;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * How the agent DaemonSet is run, as configured on the operator.
 *
 * @param namespace namespace the DaemonSet lives in (the operator's own)
 * @param image agent container image
 * @param pullPolicy Always, IfNotPresent or Never
 * @param args container arguments
 * @param serviceAccount service account the agent runs as
 * @param resources container requests and limits
 * @param tolerations taints the agent tolerates
 * @param priorityClassName priority class, or null for none
 * @param metricsPort port of the agent's /metrics, /livez and /readyz
 * @param journalHostPath host directory for the agent's journal of original values
 * @param heartbeat how often an agent with nothing new to report still writes its status
 * @param eventNamespace namespace for the agent's Events about cluster-scoped objects (its TcpHealthNode)
 * @param javaOptions JVM options added to those the agent image starts with (JDK_JAVA_OPTIONS), or null
 */
public record AgentSettings(
        String namespace,
        String image,
        String pullPolicy,
        List<String> args,
        String serviceAccount,
        ResourceRequirements resources,
        List<Toleration> tolerations,
        String priorityClassName,
        int metricsPort,
        String journalHostPath,
        Duration heartbeat,
        String eventNamespace,
        String javaOptions) {

    public AgentSettings {
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(image, "image");
        Objects.requireNonNull(pullPolicy, "pullPolicy");
        Objects.requireNonNull(resources, "resources");
        Objects.requireNonNull(journalHostPath, "journalHostPath");
        Objects.requireNonNull(heartbeat, "heartbeat");
        Objects.requireNonNull(eventNamespace, "eventNamespace");
        args = List.copyOf(args);
        tolerations = List.copyOf(tolerations);
    }
}
