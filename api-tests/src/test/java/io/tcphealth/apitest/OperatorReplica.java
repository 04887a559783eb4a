package io.tcphealth.apitest;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.tcphealth.testsupport.ProjectFiles;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One replica of the operator as the chart's Deployment runs it: the built jar, the container's environment as
 * rendered, a Pod object made from the Deployment's template (so Pod Security admission checks it) and a token of
 * the chart's operator service account bound to that pod. Only the metrics port is changed, so replicas on one
 * machine do not collide.
 */
final class OperatorReplica implements AutoCloseable {

    private final String name;
    private final Path log;
    private final List<String> command;
    private final Map<String, String> env;
    private LocalProcess process;

    private OperatorReplica(String name, Path log, List<String> command, Map<String, String> env) {
        this.name = name;
        this.log = log;
        this.command = command;
        this.env = env;
        this.process = LocalProcess.start(name, log, command, env);
    }

    static OperatorReplica start(ControlPlane plane, InstalledChart chart, String name) {
        Deployment deployment = chart.operatorDeployment();
        Pod pod = Identities.pod(
                plane.admin(),
                InstalledChart.OPERATOR_NAMESPACE,
                name,
                deployment.getSpec().getTemplate(),
                null);
        String token = Identities.tokenFor(plane.admin(), pod);
        Container container =
                deployment.getSpec().getTemplate().getSpec().getContainers().get(0);
        Map<String, String> env = new HashMap<>();
        for (EnvVar var : container.getEnv()) {
            if (var.getValue() != null) {
                env.put(var.getName(), var.getValue());
            } else if ("metadata.namespace"
                    .equals(var.getValueFrom().getFieldRef().getFieldPath())) {
                env.put(var.getName(), InstalledChart.OPERATOR_NAMESPACE);
            }
        }
        env.put("TCPHEALTH_METRICS_PORT", Integer.toString(ControlPlane.freePort()));
        // The pod's name: leader election's identity.
        env.put("HOSTNAME", name);
        env.put("KUBECONFIG", plane.kubeconfig(name, token).toString());
        String java = ProcessHandle.current().info().command().orElse("java");
        return new OperatorReplica(
                name,
                plane.logs().resolve(name + ".log"),
                List.of(
                        java,
                        "-jar",
                        ProjectFiles.jar("tcphealth.operatorJar", "operator/target/tcphealth-operator.jar")
                                .toString()),
                env);
    }

    /** Starts the container again after its process ended, as the kubelet restarts it: same pod, same token. */
    void restart() {
        if (process.alive()) {
            throw new IllegalStateException("Operator replica " + name + " is still running");
        }
        process = LocalProcess.start(name, log, command, env);
    }

    String name() {
        return name;
    }

    LocalProcess process() {
        return process;
    }

    /** SIGTERM, as Kubernetes stops the pod; returns the exit status. */
    int stop() {
        return process.stop(30);
    }

    @Override
    public void close() {
        process.close();
    }
}
