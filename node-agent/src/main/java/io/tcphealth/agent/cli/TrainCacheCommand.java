package io.tcphealth.agent.cli;

import java.io.PrintWriter;
import java.io.Writer;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The launcher's training run for the JDK's ahead-of-time cache: does what a one-shot {@code diagnose} does (the
 * command line parsed, one scan, a table and a JSON report), so that the cache holds exactly those classes, already
 * linked. Only what a diagnose needs goes in: the cache loads everything it holds at start-up.
 */
@Command(
        name = "train-cache",
        hidden = true,
        description =
                "Runs a diagnose of this command's own network namespace, output discarded (for the start-up cache).")
final class TrainCacheCommand implements Callable<Integer> {

    @Override
    public Integer call() {
        for (String[] args : new String[][] {
            {"diagnose", "--host-netns", "self"},
            {"diagnose", "--host-netns", "self", "-o", "json", "--port", "1"},
            {"diagnose", "--help"}
        }) {
            CommandLine cli = TcpHealthCli.commandLine(args);
            cli.setOut(new PrintWriter(Writer.nullWriter()));
            cli.setErr(new PrintWriter(Writer.nullWriter()));
            cli.execute(args);
        }
        return 0;
    }
}
