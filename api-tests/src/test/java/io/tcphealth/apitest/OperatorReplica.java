package io.tcphealth.apitest;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
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
  private final LocalProcess process;

  private OperatorReplica(String name, LocalProcess process) {
    this.name = name;
    this.process = process;
  }

  static OperatorReplica start(ControlPlane plane, InstalledChart chart, String name) {
    Deployment deployment = chart.operatorDeployment();
    Pod pod = Identities.pod(plane.admin(), InstalledChart.OPERATOR_NAMESPACE, name, deployment.getSpec().getTemplate(), null);
    String token = Identities.tokenFor(plane.admin(), pod);
    Container container = deployment.getSpec().getTemplate().getSpec().getContainers().get(0);
    Map<String, String> env = new HashMap<>();
    for (EnvVar var : container.getEnv()) {
      if (var.getValue() != null) {
        env.put(var.getName(), var.getValue());
      } else if ("metadata.namespace".equals(var.getValueFrom().getFieldRef().getFieldPath())) {
        env.put(var.getName(), InstalledChart.OPERATOR_NAMESPACE);
      }
    }
    env.put("TCPHEALTH_METRICS_PORT", Integer.toString(ControlPlane.freePort()));
    // The pod's name: leader election's identity.
    env.put("HOSTNAME", name);
    env.put("KUBECONFIG", plane.kubeconfig(name, token).toString());
    String java = ProcessHandle.current().info().command().orElse("java");
    LocalProcess process = LocalProcess.start(name, plane.logs().resolve(name + ".log"),
        List.of(java, "-jar", Project.jar("tcphealth.operatorJar", "operator/target/tcphealth-operator.jar").toString()), env);
    return new OperatorReplica(name, process);
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
