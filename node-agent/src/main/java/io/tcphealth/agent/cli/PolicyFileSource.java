package io.tcphealth.agent.cli;

import io.tcphealth.agent.loop.PolicySource;
import io.tcphealth.agent.nativeio.ErrorText;
import io.tcphealth.agent.policy.AgentPolicy;
import io.tcphealth.agent.policy.PolicyException;
import io.tcphealth.agent.policy.PolicyFile;
import io.tcphealth.agent.policy.PolicySet;
import io.tcphealth.agent.remediation.EventLog;
import io.tcphealth.agent.scan.ScanScope;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The policy of {@code tcphealth run --policy}: a file, a file of several, or a directory of them. An edit takes
 * effect at the next round (a refused edit keeps the previous policy); removing it ends the loop, which then puts
 * back what the policy changed.
 */
final class PolicyFileSource implements PolicySource {
    private final PolicyFile policies;
    private final Path file;
    private final String hostNetns;
    private final EventLog log;
    private AgentPolicy policy;
    private PolicyFile.Stamp stamp;

    /**
     * @param loaded    the policy as first loaded (a refused first load stops the command before anything runs)
     * @param hostNetns the {@code --host-netns} option, or null
     */
    PolicyFileSource(PolicyFile policies, Path file, AgentPolicy loaded, String hostNetns, EventLog log) {
        this.policies = policies;
        this.file = file;
        this.hostNetns = hostNetns;
        this.log = log;
        this.policy = narrowed(loaded);
        this.stamp = PolicyFile.stamp(file);
    }

    AgentPolicy policy() {
        return policy;
    }

    @Override
    public Next next() {
        if (!Files.exists(file)) {
            log.info("Policy file " + file + " was removed: putting back what policy " + policy.name() + " changed");
            return new Gone();
        }
        PolicyFile.Stamp now = PolicyFile.stamp(file);
        if (!now.equals(stamp)) {
            stamp = now;
            policy = narrowed(reload());
        }
        return new Act(policy);
    }

    /**
     * With {@code --host-netns}, the namespaces of everything else on the machine (the real host's among
     * them) are not this agent's to change: AllNamespaces is narrowed to the chosen host namespace.
     */
    private AgentPolicy narrowed(AgentPolicy p) {
        if (hostNetns == null || p.scope() != ScanScope.ALL) {
            return p;
        }
        log.info("Scope AllNamespaces narrowed to the namespace given by --host-netns: other namespaces on this machine"
                + " are not changed");
        return p.withScope(ScanScope.HOST);
    }

    private AgentPolicy reload() {
        try {
            PolicySet set = policies.load(file);
            set.conflicts().forEach(c -> log.info("Conflict in " + file + ": " + c.getMessage()));
            AgentPolicy next = set.policy();
            log.info("Reloaded policy " + next.name() + " from " + file + " (" + next.mode() + " mode)");
            return next;
        } catch (PolicyException e) {
            log.info("Refused the edited policy " + file + ", keeping the previous one: "
                    + String.join("; ", e.problems()));
        } catch (IOException e) {
            log.info("Cannot read the edited policy " + file + ", keeping the previous one: " + ErrorText.of(e));
        }
        return policy;
    }
}
