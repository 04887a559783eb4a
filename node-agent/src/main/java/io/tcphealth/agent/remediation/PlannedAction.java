package io.tcphealth.agent.remediation;

import io.tcphealth.agent.diagnosis.Durations;
import io.tcphealth.agent.journal.Change;
import io.tcphealth.agent.netns.NetNamespace;
import io.tcphealth.agent.proc.SysctlKey;
import io.tcphealth.agent.socket.TcpSocket;
import io.tcphealth.api.v1alpha1.ActionKind;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * One step the remediation ladder would take, exact enough that {@code DryRun} can show it and
 * {@code Enforce} does precisely that.
 */
public sealed interface PlannedAction {

    /** Kind as status reports it: SetSysctl, RestoreSysctl, KillSocket, FlushOrphans, SignalParent. */
    ActionKind kind();

    /** What is acted on, such as "net.ipv4.tcp_keepalive_time in host". */
    String target();

    /** The whole action in one sentence. */
    String describe();

    /**
     * Set a sysctl to the policy's value.
     *
     * @param drift true when tcphealth had set it before and something else changed it back
     */
    record SetSysctl(NetNamespace namespace, Path root, SysctlKey key, long observed, long desired, boolean drift)
            implements PlannedAction {
        @Override
        public ActionKind kind() {
            return ActionKind.SetSysctl;
        }

        @Override
        public String target() {
            return key.dottedName() + " in " + namespace.label();
        }

        @Override
        public String describe() {
            return "Set " + target() + " from " + observed + " to " + desired
                    + (drift ? " (changed back by something else)" : "");
        }
    }

    /** Put back the original of a change no policy wants any more. */
    record RestoreSysctl(Change change, String reason) implements PlannedAction {
        @Override
        public ActionKind kind() {
            return ActionKind.RestoreSysctl;
        }

        @Override
        public String target() {
            return change.describe();
        }

        @Override
        public String describe() {
            return "Restore " + target() + " to its original " + change.original() + " (" + reason + ")";
        }
    }

    /** Destroy one socket, named by namespace, 4-tuple and cookie; owners listed for the record. */
    record DestroySocket(NetNamespace namespace, TcpSocket socket, Duration age, List<String> owners)
            implements PlannedAction {
        public DestroySocket {
            owners = List.copyOf(owners);
        }

        @Override
        public ActionKind kind() {
            return ActionKind.KillSocket;
        }

        @Override
        public String target() {
            return socket.state().name() + " " + socket.localEndpoint() + " -> " + socket.remoteEndpoint() + " in "
                    + namespace.label();
        }

        @Override
        public String describe() {
            return "Destroy " + target()
                    + (socket.cookie() == 0 ? "" : " (cookie " + Long.toUnsignedString(socket.cookie()) + ")")
                    + ", " + (owners.isEmpty() ? "orphaned (no owner)" : "owned by " + String.join(", ", owners))
                    + (age == null ? "" : ", in this state for " + Durations.human(age));
        }
    }

    /**
     * Drop orphans by holding the host-wide {@code tcp_max_orphans} at 0 until the FIN_WAIT1 orphans
     * on {@code ports} are gone or {@code maxDuration} passes, then restore it.
     *
     * @param ports the ports watched; empty means any
     */
    record OrphanPulse(
            NetNamespace host,
            Path root,
            long orphans,
            long finWait1Orphans,
            List<Integer> ports,
            List<NetNamespace> watched,
            Duration maxDuration,
            String why)
            implements PlannedAction {
        public OrphanPulse {
            ports = List.copyOf(ports);
            watched = List.copyOf(watched);
        }

        @Override
        public ActionKind kind() {
            return ActionKind.FlushOrphans;
        }

        @Override
        public String target() {
            return SysctlKey.TCP_MAX_ORPHANS.dottedName();
        }

        @Override
        public String describe() {
            return "Set " + target() + " to 0 for at most " + Durations.human(maxDuration) + " to drop "
                    + finWait1Orphans
                    + " orphaned FIN_WAIT1 sockets" + (ports.isEmpty() ? "" : " on ports " + ports) + " (" + orphans
                    + " orphans on the node), then put the original back: " + why;
        }
    }

    /** Send SIGCHLD to a parent that leaves zombies unreaped. */
    record SignalParent(
            int pid,
            String comm,
            long startTicks,
            List<Integer> zombies,
            List<Long> zombieStartTicks,
            Duration oldest,
            boolean containerInit)
            implements PlannedAction {
        public SignalParent {
            zombies = List.copyOf(zombies);
            zombieStartTicks = List.copyOf(zombieStartTicks);
        }

        @Override
        public ActionKind kind() {
            return ActionKind.SignalParent;
        }

        @Override
        public String target() {
            return "pid " + pid + " (" + comm + ")";
        }

        @Override
        public String describe() {
            return "Send SIGCHLD to " + target() + " to reap its " + zombies.size() + " zombie"
                    + (zombies.size() == 1 ? "" : "s") + " " + zombies
                    + (oldest == null ? "" : ", the oldest a zombie for " + Durations.human(oldest));
        }
    }
}
