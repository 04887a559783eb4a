package io.tcphealth.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.tcphealth.agent.report.ReportFormat;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The diagnose command's hand-built model parses as its annotated model did. */
class DiagnoseOptionsTest {

    private static DiagnoseCommand parse(String... args) {
        String[] all = new String[args.length + 1];
        all[0] = "diagnose";
        System.arraycopy(args, 0, all, 1, args.length);
        CommandLine cli = TcpHealthCli.commandLine(all);
        cli.parseArgs(all);
        return (DiagnoseCommand)
                cli.getSubcommands().get("diagnose").getCommandSpec().userObject();
    }

    @Test
    void defaultsAreThoseTheHelpNames() {
        DiagnoseCommand d = parse();
        assertThat(d.ports).isEmpty();
        assertThat(d.bindOptions).isEmpty();
        assertThat(d.scope).isEqualTo(ScopeOption.host);
        assertThat(d.output).isEqualTo(ReportFormat.table);
        assertThat(d.source).isEqualTo(SourceKind.netlink);
        assertThat(d.stuckAfter).isEqualTo("5m");
        assertThat(d.plan).isFalse();
        assertThat(d.count).isNull();
        assertThat(d.host.procRoot).isEqualTo(Path.of("/proc"));
        assertThat(d.host.hostNetns).isNull();
    }

    @Test
    void repeatedAndSplitOptionsKeepEveryValue() {
        DiagnoseCommand d = parse(
                "-p",
                "80",
                "--port",
                "443",
                "-p",
                "8080",
                "--bind",
                "[::]:80",
                "--bind-option",
                "reuseaddr,uid=0",
                "--bind-option",
                "v6only",
                "--scope",
                "ALL",
                "-o",
                "json",
                "--watch",
                "10s",
                "--count",
                "3",
                "--source",
                "proc",
                "--stuck-after",
                "1m",
                "--policy",
                "p.yaml",
                "--plan",
                "--sysctl-root",
                "/tmp/s",
                "--journal",
                "/tmp/j",
                "--host-netns",
                "self",
                "--proc-root",
                "/host/proc");
        assertThat(d.ports).containsExactly(80, 443, 8080);
        assertThat(d.bind).isEqualTo("[::]:80");
        assertThat(d.bindOptions).containsExactly("reuseaddr", "uid=0", "v6only");
        assertThat(d.scope).isEqualTo(ScopeOption.all);
        assertThat(d.output).isEqualTo(ReportFormat.json);
        assertThat(d.watch).isEqualTo("10s");
        assertThat(d.count).isEqualTo(3);
        assertThat(d.source).isEqualTo(SourceKind.proc);
        assertThat(d.stuckAfter).isEqualTo("1m");
        assertThat(d.policyFile).isEqualTo(Path.of("p.yaml"));
        assertThat(d.plan).isTrue();
        assertThat(d.sysctlRoot).isEqualTo(Path.of("/tmp/s"));
        assertThat(d.journalDir).isEqualTo(Path.of("/tmp/j"));
        assertThat(d.host.hostNetns).isEqualTo("self");
        assertThat(d.host.procRoot).isEqualTo(Path.of("/host/proc"));
    }

    @Test
    void helpListsEveryOptionWithItsDefault() {
        String help =
                TcpHealthCli.commandLine().getSubcommands().get("diagnose").getUsageMessage();
        for (String option : List.of(
                "--port=PORT",
                "--bind=ADDRESS:PORT",
                "--bind-option=OPTION",
                "--scope=host|all",
                "--output=table|json|yaml",
                "--watch=INTERVAL",
                "--count=N",
                "--source=netlink|proc",
                "--stuck-after=DURATION",
                "--policy=FILE",
                "--plan",
                "--sysctl-root=DIR",
                "--journal=DIR",
                "--host-netns=PATH|self",
                "--proc-root=DIR",
                "--help",
                "--version")) {
            assertThat(help).contains(option);
        }
        assertThat(help).contains("Default: host.", "Default: table.", "Default: netlink.", "Default: 5m.");
        assertThat(help).contains("Exit status: 0 healthy");
    }

    @Test
    void versionIsAnsweredByDiagnoseAndTheTopLevelCommand() {
        for (String[] args : new String[][] {{"--version"}, {"diagnose", "-V"}}) {
            java.io.StringWriter out = new java.io.StringWriter();
            CommandLine cli = TcpHealthCli.commandLine(args);
            cli.setOut(new java.io.PrintWriter(out));
            assertThat(cli.execute(args)).isZero();
            assertThat(out.toString()).startsWith("tcphealth ");
        }
    }

    @Test
    void theModelOfAnotherCommandIsStillReadFromItsAnnotations() {
        CommandLine run =
                TcpHealthCli.commandLine(new String[] {"run"}).getSubcommands().get("run");
        assertThat(run.getCommandSpec().findOption("--proc-root")).isNotNull();
        assertThat(run.getCommandSpec().findOption("--proc-root").defaultValue())
                .isEqualTo("/proc");
    }
}
