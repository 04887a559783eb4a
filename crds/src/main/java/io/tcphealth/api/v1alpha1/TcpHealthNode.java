package io.tcphealth.api.v1alpha1;

import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Singular;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * One per node, named after the node. The operator writes the spec (the node's effective configuration); the
 * node's agent writes the status (what it found and did). Cluster-scoped.
 */
@Group(TcpHealthPolicy.GROUP)
@Version(TcpHealthPolicy.VERSION)
@Kind("TcpHealthNode")
@Plural("tcphealthnodes")
@Singular("tcphealthnode")
@ShortNames("thn")
public class TcpHealthNode extends CustomResource<TcpHealthNodeSpec, TcpHealthNodeStatus> {

  @Override
  protected TcpHealthNodeSpec initSpec() {
    return new TcpHealthNodeSpec();
  }
}
