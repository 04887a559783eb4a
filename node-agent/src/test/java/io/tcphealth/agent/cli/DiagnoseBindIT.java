package io.tcphealth.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tcphealth.testsupport.TestNetns;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code diagnose --bind ADDRESS:PORT --bind-option ...} against the real kernel: the verdict it prints and exits
 * with is what a real bind() and listen() with the same address, family and options does in the same namespace.
 */
class DiagnoseBindIT {
    private static TestNetns ns;

    @BeforeAll
    static void makeStates() throws Exception {
        ns = TestNetns.create();
        ns.socklab("-r", "listen", "0.0.0.0", 9401); // a SO_REUSEPORT listener of root
        ns.socklab("closewait", "127.0.0.1", 9402, 1); // CLOSE_WAIT with SO_REUSEADDR, its listener gone
        ns.socklab("listen", "::1", 9403); // an IPv6 loopback listener, v6-only by its specific address
    }

    @AfterAll
    static void cleanUp() {
        if (ns != null) {
            ns.close();
        }
    }

    private record Case(String endpoint, String options, int exit) {}

    @Test
    void theVerdictAndExitStatusAreWhatBindDoes() throws Exception {
        List<Case> cases = List.of(
                new Case("0.0.0.0:9401", "", DiagnoseCommand.EXIT_BIND_IN_USE),
                new Case("0.0.0.0:9401", "reuseaddr", DiagnoseCommand.EXIT_BIND_IN_USE),
                new Case("0.0.0.0:9401", "reuseport,uid=0", DiagnoseCommand.EXIT_HEALTHY),
                new Case("0.0.0.0:9401", "reuseport,uid=65534", DiagnoseCommand.EXIT_BIND_IN_USE),
                new Case("[::]:9401", "reuseport,uid=0", DiagnoseCommand.EXIT_HEALTHY),
                new Case("[::]:9401", "v6only", DiagnoseCommand.EXIT_HEALTHY),
                new Case("[::]:9401", "", DiagnoseCommand.EXIT_BIND_IN_USE),
                new Case("127.0.0.1:9402", "", DiagnoseCommand.EXIT_BIND_IN_USE),
                new Case("127.0.0.1:9402", "reuseaddr", DiagnoseCommand.EXIT_HEALTHY),
                new Case("127.0.0.2:9402", "", DiagnoseCommand.EXIT_HEALTHY),
                new Case("[::]:9403", "", DiagnoseCommand.EXIT_BIND_IN_USE),
                new Case("[::1]:9403", "reuseaddr", DiagnoseCommand.EXIT_BIND_IN_USE),
                new Case("0.0.0.0:9403", "", DiagnoseCommand.EXIT_HEALTHY));
        List<String> attempts = new ArrayList<>();
        for (Case c : cases) {
            String host = c.endpoint()
                    .substring(0, c.endpoint().lastIndexOf(':'))
                    .replace("[", "")
                    .replace("]", "");
            String port = c.endpoint().substring(c.endpoint().lastIndexOf(':') + 1);
            attempts.add((c.options().isEmpty() ? "-" : c.options()) + " " + host + " " + port);
        }
        List<String> real = ns.socklabBatch(attempts);
        for (int i = 0; i < cases.size(); i++) {
            Case c = cases.get(i);
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            int exit = run(out, err, c, "-o", "json");
            String what = c + " -> " + real.get(i) + "; " + err;
            assertThat(exit).as(what).isEqualTo(c.exit());
            assertThat(real.get(i))
                    .as(what)
                    .isEqualTo(c.exit() == DiagnoseCommand.EXIT_HEALTHY ? "listen ok" : "listen EADDRINUSE at bind");
            JsonNode bind = new ObjectMapper().readTree(out.toString()).path("bind");
            assertThat(bind).as(what).hasSize(1);
            assertThat(bind.get(0).path("netns").asText()).isEqualTo("host");
            assertThat(bind.get(0).path("verdict").asText())
                    .as(what)
                    .isEqualTo(c.exit() == DiagnoseCommand.EXIT_HEALTHY ? "binds" : "addressInUse");
        }
    }

    @Test
    void whatTheKernelHidesIsSaidAndExitsWithItsOwnStatus() throws Exception {
        // TIME_WAIT alone, made here: it lasts 60 s, longer than this test but not than the whole class.
        ns.socklab("-n", "-c", "timewait", "127.0.0.1", 9404, 1);
        assertThat(run(new StringWriter(), new StringWriter(), new Case("127.0.0.1:9404", "", 0)))
                .isEqualTo(DiagnoseCommand.EXIT_BIND_IN_USE);
        StringWriter out = new StringWriter();
        int exit = run(out, new StringWriter(), new Case("127.0.0.1:9404", "reuseaddr", 0), "-o", "yaml");
        assertThat(exit).isEqualTo(DiagnoseCommand.EXIT_BIND_UNKNOWN);
        assertThat(out.toString()).contains("verdict: unknown").contains("- \"whether TIME_WAIT 127.0.0.1:9404");

        out = new StringWriter();
        exit = run(out, new StringWriter(), new Case("0.0.0.0:9401", "reuseport", 0));
        assertThat(exit).as("SO_REUSEPORT without the user it runs as").isEqualTo(DiagnoseCommand.EXIT_BIND_UNKNOWN);
        assertThat(out.toString())
                .contains("Bind 0.0.0.0:9401 in host: unknown")
                .contains("belongs to uid 0");
    }

    @Test
    void withoutBindEveryCandidateAddressIsAnsweredWithItsFamily() throws Exception {
        StringWriter out = new StringWriter();
        var cli = TcpHealthCli.commandLine();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(new StringWriter()));
        cli.execute("diagnose", "--host-netns", ns.path().toString(), "--port", "9403", "-o", "json");
        JsonNode report = new ObjectMapper().readTree(out.toString());
        assertThat(report.has("bind")).isFalse();
        String message = report.path("findings").findValues("message").stream()
                .map(JsonNode::asText)
                .filter(m -> m.startsWith("Port 9403"))
                .findFirst()
                .orElseThrow();
        assertThat(message)
                .contains("on 0.0.0.0:9403 (IPv4) can bind")
                .contains("on [::]:9403 (IPv6 and IPv4), [::]:9403 (IPv6 only), [0:0:0:0:0:0:0:1]:9403 (IPv6 only)"
                        + " cannot bind (EADDRINUSE)");
    }

    @Test
    void malformedBindRequestsAreUsageErrors() {
        var cli = TcpHealthCli.commandLine();
        cli.setOut(new PrintWriter(new StringWriter()));
        cli.setErr(new PrintWriter(new StringWriter()));
        String netns = ns.path().toString();
        assertThat(cli.execute("diagnose", "--host-netns", netns, "--bind", "9080"))
                .isEqualTo(3);
        assertThat(cli.execute("diagnose", "--host-netns", netns, "--bind", "::1:9080"))
                .isEqualTo(3);
        assertThat(cli.execute("diagnose", "--host-netns", netns, "--bind", "localhost:9080"))
                .isEqualTo(3);
        assertThat(cli.execute("diagnose", "--host-netns", netns, "--bind", "0.0.0.0:99999"))
                .isEqualTo(3);
        assertThat(cli.execute("diagnose", "--host-netns", netns, "--bind-option", "reuseaddr"))
                .isEqualTo(3);
        assertThat(cli.execute("diagnose", "--host-netns", netns, "--bind", "0.0.0.0:9080", "--bind-option", "v6only"))
                .isEqualTo(3);
        assertThat(cli.execute("diagnose", "--host-netns", netns, "--bind", "[::]:9080", "--bind-option", "fast"))
                .isEqualTo(3);
    }

    private static int run(StringWriter out, StringWriter err, Case c, String... more) {
        var cli = TcpHealthCli.commandLine();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        List<String> args =
                new ArrayList<>(List.of("diagnose", "--host-netns", ns.path().toString(), "--bind", c.endpoint()));
        if (!c.options().isEmpty()) {
            args.add("--bind-option");
            args.add(c.options());
        }
        args.addAll(List.of(more));
        return cli.execute(args.toArray(String[]::new));
    }
}
