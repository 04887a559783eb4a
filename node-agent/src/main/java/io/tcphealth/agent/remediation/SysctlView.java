package io.tcphealth.agent.remediation;

import io.tcphealth.agent.journal.Change;
import io.tcphealth.agent.netns.NetNamespace;
import io.tcphealth.agent.policy.AgentPolicy;
import io.tcphealth.agent.proc.SysctlKey;
import io.tcphealth.agent.scan.NamespaceScan;
import io.tcphealth.agent.scan.NodeScan;
import io.tcphealth.api.v1alpha1.SysctlStatus;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The sysctls a round looks at: each key the policy sets or the journal holds, in each namespace it applies to,
 * read before planning and again after acting; and how they are reported (observed, desired, original, applied).
 */
final class SysctlView {
    private final SysctlAccess sysctls;
    private final SysctlRoots roots;

    SysctlView(SysctlAccess sysctls, SysctlRoots roots) {
        this.sysctls = sysctls;
        this.roots = roots;
    }

    SysctlRoots roots() {
        return roots;
    }

    /** Reads each sysctl the policy sets (or the journal holds) in each namespace it applies to. */
    List<SysctlObservation> observe(AgentPolicy policy, NodeScan scan, List<Change> open) throws InterruptedException {
        Set<SysctlKey> keys = new HashSet<>(policy.sysctls().keySet());
        open.stream().filter(c -> c.lifetime() == Change.Lifetime.PERSISTENT).forEach(c -> keys.add(c.key()));
        List<SysctlObservation> out = new ArrayList<>();
        for (SysctlKey key : SysctlKey.values()) {
            if (!keys.contains(key)) {
                continue;
            }
            for (NamespaceScan ns : scan.namespaces()) {
                NetNamespace n = ns.namespace();
                if (!RemediationPlanner.inScope(key, n)) {
                    continue;
                }
                try {
                    out.add(new SysctlObservation(
                            n, roots.rootFor(key), key, sysctls.read(n, roots.rootFor(key), key), null));
                } catch (IOException e) {
                    out.add(new SysctlObservation(n, roots.rootFor(key), key, null, e.getMessage()));
                }
            }
        }
        return out;
    }

    /** Pure: what the status and the report say of each observed key. */
    static List<SysctlStatus> status(AgentPolicy policy, List<SysctlObservation> observed, List<Change> open) {
        Map<SysctlKey, Long> desired = policy.sysctls();
        List<SysctlStatus> out = new ArrayList<>();
        for (SysctlObservation o : observed) {
            Change change = open.stream()
                    .filter(c -> c.lifetime() == Change.Lifetime.PERSISTENT
                            && c.key() == o.key()
                            && c.netnsInode() == o.namespace().inode())
                    .findFirst()
                    .orElse(null);
            SysctlStatus s = new SysctlStatus();
            s.setName(o.key().dottedName());
            s.setNetns(o.namespace().label());
            s.setObserved(o.observed());
            s.setDesired(desired.get(o.key()));
            s.setOriginal(change != null ? Long.valueOf(change.original()) : o.observed());
            s.setApplied(change != null && o.observed() != null && o.observed().equals(desired.get(o.key())));
            s.setPolicy(desired.containsKey(o.key()) ? policy.name() : change == null ? null : change.policy());
            out.add(s);
        }
        return out;
    }
}
