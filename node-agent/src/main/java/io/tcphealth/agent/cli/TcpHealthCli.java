package io.tcphealth.agent.cli;

import static io.tcphealth.agent.cli.HandBuiltOptions.withStandardHelp;

import io.tcphealth.agent.nativeio.ErrorText;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/**
 * The {@code tcphealth} command: diagnoses stuck TCP ports on this host. This command's model and diagnose's are built
 * by hand ({@link HandBuiltOptions}); the others, which run for long or seldom, are read from their annotations.
 */
public final class TcpHealthCli implements Runnable {
    /** Usage errors and environments the command cannot work in. */
    public static final int EXIT_USAGE = 3;

    /**
     * The subcommands, in the order help lists them. Picocli builds a command's model by reflection over its
     * annotations (tens of milliseconds each at start-up), so a command line naming one subcommand builds only that one.
     */
    private static final Map<String, Supplier<Object>> SUBCOMMANDS = subcommands();

    private CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    private static Map<String, Supplier<Object>> subcommands() {
        Map<String, Supplier<Object>> all = new LinkedHashMap<>();
        all.put("diagnose", DiagnoseCommand::spec);
        all.put("run", RunCommand::new);
        all.put("restore", RestoreCommand::new);
        all.put("bench", BenchCommand::new);
        // A lambda, not a constructor reference: the ahead-of-time cache cannot hold a handle to a class file as old as
        // picocli's (Java 5), and its assembly fails on one.
        all.put("help", () -> new CommandLine.HelpCommand());
        all.put("train-cache", TrainCacheCommand::new);
        return all;
    }

    /** Every subcommand, for help, suggestions and tests. */
    public static CommandLine commandLine() {
        return commandLine(new String[0]);
    }

    /** The command line for {@code args}: only the subcommand they name, or all of them when they name none. */
    public static CommandLine commandLine(String[] args) {
        CommandLine cli = new CommandLine(spec());
        String first = args.length > 0 ? args[0] : null;
        if (first != null && SUBCOMMANDS.containsKey(first) && !first.equals("help")) {
            cli.addSubcommand(first, SUBCOMMANDS.get(first).get());
        } else {
            SUBCOMMANDS.forEach((name, command) -> cli.addSubcommand(name, command.get()));
        }
        cli.setCaseInsensitiveEnumValuesAllowed(true);
        cli.setParameterExceptionHandler((ex, a) -> {
            CommandLine cmd = ex.getCommandLine();
            cmd.getErr().println("tcphealth: " + ex.getMessage());
            CommandLine.UnmatchedArgumentException.printSuggestions(ex, cmd.getErr());
            cmd.getErr().println("Try '" + cmd.getCommandSpec().qualifiedName() + " --help' for more information.");
            return EXIT_USAGE;
        });
        cli.setExecutionExceptionHandler((ex, cmd, parseResult) -> {
            cmd.getErr().println("tcphealth: " + ErrorText.of(ex));
            return EXIT_USAGE;
        });
        return cli;
    }

    private static CommandSpec spec() {
        TcpHealthCli top = new TcpHealthCli();
        top.spec = CommandSpec.wrapWithoutInspection(top).name("tcphealth");
        top.spec
                .usageMessage()
                .description(
                        "Finds, explains and fixes TCP sockets that hold ports hostage, and the zombies behind them.");
        return withStandardHelp(top.spec);
    }

    public static void main(String[] args) {
        CommandLine cli = commandLine(args);
        // Straight onto System.out, so that checkError() sees what System.out saw: a reader that went away (EPIPE).
        // Picocli's own writer wraps System.out in a writer of its own, and System.out keeps write errors to itself.
        cli.setOut(new PrintWriter(System.out, true, System.out.charset()));
        System.exit(cli.execute(args));
    }
}
