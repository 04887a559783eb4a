package io.tcphealth.agent.cli;

import io.tcphealth.agent.journal.Change;
import io.tcphealth.agent.journal.Journal;
import io.tcphealth.agent.nativeio.ErrorText;
import io.tcphealth.agent.netns.NetnsNames;
import io.tcphealth.agent.remediation.EventLog;
import io.tcphealth.agent.remediation.JournalReplay;
import io.tcphealth.agent.remediation.PauseHook;
import io.tcphealth.api.v1alpha1.ActionResult;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code tcphealth restore --journal DIR}: what deleting a policy means on a plain host. */
@Command(
        name = "restore",
        mixinStandardHelpOptions = true,
        header = "Puts back every value tcphealth changed, from its journal.",
        description = {
            "Undoes every change the journal holds: each sysctl tcphealth changed goes back to the value it had before "
                    + "tcphealth first changed it, newest change first. Changes made under a policy with restoreOnDelete: "
                    + "false are left as they are (and dropped from the journal) unless --all is given. Running it again "
                    + "changes nothing.",
            "",
            "Exit status: 0 when every change was undone (or its namespace is gone); 1 when some could not be; 3 when "
                    + "the journal is corrupt or in use (nothing is changed then)."
        },
        sortOptions = false)
final class RestoreCommand implements Callable<Integer> {

    @Option(
            names = "--journal",
            paramLabel = "DIR",
            defaultValue = "/var/lib/tcphealth/journal",
            description = "The journal written by 'tcphealth run'. Default: ${DEFAULT-VALUE}.")
    Path journalDir;

    @Option(names = "--all", description = "Also undo changes whose policy said restoreOnDelete: false.")
    boolean all;

    @CommandLine.Mixin
    HostOptions host;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** The namespace a change was made in, by its ip netns name when it has one, else its inode and a process in it. */
    static String where(Change c, Map<Long, String> names) {
        if ("host".equals(c.netns())) {
            return "the host namespace";
        }
        String name = names.get(c.netnsInode());
        Path path = c.netnsPath();
        if (name == null && path != null && (path.startsWith("/run/netns") || path.startsWith("/var/run/netns"))) {
            name = path.getFileName().toString();
        }
        if (name != null) {
            return "namespace " + name + " (net:[" + c.netnsInode() + "])";
        }
        return "namespace net:[" + c.netnsInode() + "]"
                + (c.netnsPids().isEmpty() ? "" : " (pid " + c.netnsPids().getFirst() + ")");
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try {
            if (!Files.readAttributes(journalDir, java.nio.file.attribute.BasicFileAttributes.class)
                    .isDirectory()) {
                err.println("tcphealth: no journal at " + journalDir + ": not a directory");
                return TcpHealthCli.EXIT_USAGE;
            }
        } catch (IOException e) {
            err.println("tcphealth: no journal at " + ErrorText.of(e));
            return TcpHealthCli.EXIT_USAGE;
        }
        // Each outcome is printed once, below; the replay's own log lines would say the same again.
        EventLog quiet = new EventLog(new PrintWriter(Writer.nullWriter()), java.time.Clock.systemUTC());
        AgentParts parts = new AgentParts(host.procRoot, (Path) null, host.hostNetns, quiet);
        try (Journal journal = Journal.open(journalDir, parts.clock)) {
            journal.warnings().forEach(w -> err.println("tcphealth: " + w));
            JournalReplay replay = parts.remediator(journal, PauseHook.NONE).replay();
            List<JournalReplay.Outcome> outcomes = replay.replay(c -> true, !all);
            Map<Long, String> names = NetnsNames.read(NetnsNames.RUN_NETNS);
            long failed = 0;
            for (JournalReplay.Outcome o : outcomes) {
                Change c = o.change();
                out.println(o.result() + ": " + c.key().dottedName() + " in " + where(c, names) + ": " + o.message());
                if (o.result() == ActionResult.Failed) {
                    failed++;
                }
            }
            out.println(
                    outcomes.isEmpty()
                            ? "Nothing to restore: the journal holds no open change"
                            : "Restored "
                                    + outcomes.stream()
                                            .filter(o -> o.result() == ActionResult.Done)
                                            .count() + " of " + outcomes.size() + " changes"
                                    + (failed > 0 ? ", " + failed + " failed" : ""));
            out.flush();
            return failed > 0 ? RunCommand.EXIT_NOT_DONE : 0;
        } catch (IOException e) {
            err.println("tcphealth: " + ErrorText.of(e));
            return TcpHealthCli.EXIT_USAGE;
        }
    }
}
