package io.tcphealth.agent.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code tcphealth} command: diagnoses stuck TCP ports on this host. */
@Command(name = "tcphealth",
        mixinStandardHelpOptions = true,
        versionProvider = Version.class,
        description = "Finds, explains and fixes TCP sockets that hold ports hostage, and the zombies behind them.",
        subcommands = {DiagnoseCommand.class, RunCommand.class, RestoreCommand.class, BenchCommand.class, CommandLine.HelpCommand.class})
public final class TcpHealthCli implements Runnable {
    /** Usage errors and environments the command cannot work in. */
    public static final int EXIT_USAGE = 3;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    public static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new TcpHealthCli());
        cli.setCaseInsensitiveEnumValuesAllowed(true);
        cli.setParameterExceptionHandler((ex, args) -> {
            CommandLine cmd = ex.getCommandLine();
            cmd.getErr().println("tcphealth: " + ex.getMessage());
            CommandLine.UnmatchedArgumentException.printSuggestions(ex, cmd.getErr());
            cmd.getErr().println("Try '" + cmd.getCommandSpec().qualifiedName() + " --help' for more information.");
            return EXIT_USAGE;
        });
        cli.setExecutionExceptionHandler((ex, cmd, parseResult) -> {
            cmd.getErr().println("tcphealth: " + ex.getMessage());
            return EXIT_USAGE;
        });
        return cli;
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }
}
