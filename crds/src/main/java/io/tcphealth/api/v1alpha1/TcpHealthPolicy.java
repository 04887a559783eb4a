package io.tcphealth.api.v1alpha1;

import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Singular;
import io.fabric8.kubernetes.model.annotation.Version;

/** What to watch on which nodes, and what the agent may change there. Cluster-scoped. */
@Group(TcpHealthPolicy.GROUP)
@Version(TcpHealthPolicy.VERSION)
@Kind("TcpHealthPolicy")
@Plural("tcphealthpolicies")
@Singular("tcphealthpolicy")
@ShortNames({"tcphealth", "thp"})
public class TcpHealthPolicy extends CustomResource<TcpHealthPolicySpec, TcpHealthPolicyStatus> {

  public static final String GROUP = "tcphealth.io";
  public static final String VERSION = "v1alpha1";

  @Override
  protected TcpHealthPolicySpec initSpec() {
    return new TcpHealthPolicySpec();
  }
}
