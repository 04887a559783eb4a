package io.tcphealth.agent.cluster;

import io.tcphealth.agent.diagnosis.Finding;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Names the pod of every finding whose process runs in one. The pod UID comes from the process's cgroup;
 * namespace and name come from the pods the agent watches on its node. A UID the agent has not seen (a pod
 * created since the last list, or a static pod) keeps only its UID. Pure.
 */
public final class PodAttribution {
    private final PodLookup pods;

    public PodAttribution(PodLookup pods) {
        this.pods = pods;
    }

    public List<Finding> attach(List<Finding> findings) {
        List<Finding> out = new ArrayList<>(findings.size());
        for (Finding f : findings) {
            Optional<PodRef> pod = f.podUid() == null || f.pod() != null ? Optional.empty() : pods.byUid(f.podUid());
            out.add(pod.map(p -> withPod(f, p.qualifiedName())).orElse(f));
        }
        return out;
    }

    /** Fills in the pod name of each namespace whose pod UID the agent knows. */
    public void name(java.util.List<io.tcphealth.api.v1alpha1.NamespaceCounters> counters) {
        if (counters == null) {
            return;
        }
        for (io.tcphealth.api.v1alpha1.NamespaceCounters c : counters) {
            if (c.getPodUid() != null) {
                pods.byUid(c.getPodUid()).ifPresent(p -> c.setPod(p.qualifiedName()));
            }
        }
    }

    public Optional<PodRef> podOf(Finding f) {
        return f.podUid() == null ? Optional.empty() : pods.byUid(f.podUid());
    }

    private static Finding withPod(Finding f, String pod) {
        return new Finding(
                f.type(),
                f.severity(),
                f.count(),
                f.port(),
                f.state(),
                f.pid(),
                f.comm(),
                f.containerId(),
                f.podUid(),
                pod,
                f.netns(),
                f.ageSeconds(),
                f.ageBasis(),
                f.message(),
                f.nextStep(),
                f.holders());
    }
}
