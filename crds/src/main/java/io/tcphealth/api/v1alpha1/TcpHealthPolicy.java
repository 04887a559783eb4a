package io.tcphealth.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn.Type;
import io.fabric8.crd.generator.annotation.PrinterColumnFormat;
import io.fabric8.generator.annotation.Default;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Singular;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * What to watch on which nodes, and what the agent may change there. Cluster-scoped. The printer columns make
 * {@code kubectl get tcphealth} a fleet dashboard.
 */
@JsonClassDescription("TcpHealthPolicy says which nodes tcphealth watches for TCP sockets that hold ports hostage "
        + "(CLOSE_WAIT, FIN_WAIT1, orphans, unread receive queues) and zombie processes, and what its "
        + "agent may change there. kubectl get tcphealth shows the fleet; kubectl get thn shows each node.")
@Group(TcpHealthPolicy.GROUP)
@Version(TcpHealthPolicy.VERSION)
@Kind("TcpHealthPolicy")
@Plural("tcphealthpolicies")
@Singular("tcphealthpolicy")
@ShortNames({"tcphealth", "thp"})
@AdditionalPrinterColumn(
        name = "Mode",
        type = Type.STRING,
        jsonPath = ".status.mode",
        getDescription = "Observe, DryRun or Enforce (the default filled in)")
@AdditionalPrinterColumn(
        name = "Nodes",
        type = Type.INTEGER,
        jsonPath = ".status.nodes.matched",
        getDescription = "Nodes the policy matches")
@AdditionalPrinterColumn(
        name = "Healthy",
        type = Type.INTEGER,
        jsonPath = ".status.nodes.healthy",
        getDescription = "Matched nodes without Warning or Critical findings")
@AdditionalPrinterColumn(
        name = "CLOSE_WAIT",
        type = Type.INTEGER,
        jsonPath = ".status.totals.closeWait",
        getDescription = "CLOSE_WAIT sockets on the matched nodes")
@AdditionalPrinterColumn(
        name = "FIN_WAIT1",
        type = Type.INTEGER,
        jsonPath = ".status.totals.finWait1",
        getDescription = "FIN_WAIT1 sockets on the matched nodes")
@AdditionalPrinterColumn(
        name = "Orphans",
        type = Type.INTEGER,
        jsonPath = ".status.totals.orphans",
        getDescription = "Orphaned sockets on the matched nodes")
@AdditionalPrinterColumn(
        name = "Zombies",
        type = Type.INTEGER,
        jsonPath = ".status.totals.zombies",
        getDescription = "Zombie processes on the matched nodes")
@AdditionalPrinterColumn(
        name = "Ready",
        type = Type.STRING,
        jsonPath = ".status.conditions[?(@.type==\"Ready\")].status",
        getDescription = "The policy's Ready condition")
@AdditionalPrinterColumn(
        name = "Age",
        type = Type.DATE,
        jsonPath = ".metadata.creationTimestamp",
        format = PrinterColumnFormat.NONE)
public class TcpHealthPolicy extends CustomResource<TcpHealthPolicySpec, TcpHealthPolicyStatus> {

    public static final String GROUP = "tcphealth.io";
    public static final String VERSION = "v1alpha1";

    @Override
    @JsonPropertyDescription("What to watch on which nodes and what the agent may change there. Written by users.")
    @Default("{}")
    public TcpHealthPolicySpec getSpec() {
        return super.getSpec();
    }

    @Override
    @JsonPropertyDescription("The policy across its nodes, aggregated by the operator from their TcpHealthNodes.")
    public TcpHealthPolicyStatus getStatus() {
        return super.getStatus();
    }

    @Override
    protected TcpHealthPolicySpec initSpec() {
        return new TcpHealthPolicySpec();
    }
}
