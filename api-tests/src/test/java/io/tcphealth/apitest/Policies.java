package io.tcphealth.apitest;

import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.tcphealth.api.v1alpha1.TcpHealthPolicy;
import io.tcphealth.api.v1alpha1.TcpHealthPolicySpec;
import java.util.Map;

/** Policies the tests create. */
final class Policies {

    private Policies() {}

    /** Observe mode, a 5 s interval, the nodes with these labels. */
    static TcpHealthPolicy observe(String name, Map<String, String> labels) {
        TcpHealthPolicy policy = new TcpHealthPolicy();
        policy.getMetadata().setName(name);
        TcpHealthPolicySpec spec = new TcpHealthPolicySpec();
        spec.setNodeSelector(new LabelSelectorBuilder().withMatchLabels(labels).build());
        spec.setInterval("5s");
        policy.setSpec(spec);
        return policy;
    }
}
