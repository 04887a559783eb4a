package io.tcphealth.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tcphealth.testsupport.Commands;
import io.tcphealth.testsupport.TestNetns;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Zombies are reported for the namespaces scanned only: with {@code --host-netns} pointing at one
 * scratch namespace, the zombies whose parent lives in another are neither counted nor listed.
 */
class ZombieScopeIT {

    @Test
    void zombiesOfAnotherNamespaceStayOutOfTheReport() throws Exception {
        try (TestNetns scanned = TestNetns.create();
                TestNetns other = TestNetns.create()) {
            TestNetns.Helper mine = scanned.socklab("zombies", 3);
            TestNetns.Helper theirs = other.socklab("zombies", 2);
            assertThat(zombiesOf(mine.pid())).hasSize(3);
            assertThat(zombiesOf(theirs.pid())).hasSize(2);

            StringWriter out = new StringWriter();
            var cli = TcpHealthCli.commandLine();
            cli.setOut(new PrintWriter(out));
            cli.setErr(new PrintWriter(new StringWriter()));
            cli.execute("diagnose", "--host-netns", scanned.path().toString(), "-o", "json");
            JsonNode report = new ObjectMapper().readTree(out.toString());

            List<Integer> parents = new ArrayList<>();
            for (JsonNode f : report.path("findings")) {
                if (f.path("type").asText().equals("ZombieProcesses")) {
                    parents.add(f.path("pid").asInt());
                }
            }
            assertThat(parents).contains(mine.pid()).doesNotContain(theirs.pid());
            assertThat(report.toString()).doesNotContain("kill -CHLD " + theirs.pid());
        }
    }

    @Test
    void zombiesUnderAPidNamespaceInitAreExplainedAsAContainersInit() throws Exception {
        try (TestNetns ns = TestNetns.create()) {
            TestNetns.Helper init = ns.socklabAsPidNamespaceInit("zombies", 2);
            assertThat(init.details())
                    .as("inside its PID namespace it is pid 1")
                    .isEqualTo("1");
            assertThat(java.nio.file.Files.readString(java.nio.file.Path.of("/proc/" + init.pid() + "/status")))
                    .containsPattern("NSpid:\\s+" + init.pid() + "\\s+1\\n");
            assertThat(zombiesOf(init.pid())).hasSize(2);

            StringWriter out = new StringWriter();
            var cli = TcpHealthCli.commandLine();
            cli.setOut(new PrintWriter(out));
            cli.setErr(new PrintWriter(new StringWriter()));
            cli.execute("diagnose", "--host-netns", ns.path().toString(), "-o", "json");
            JsonNode report = new ObjectMapper().readTree(out.toString());

            JsonNode finding = null;
            for (JsonNode f : report.path("findings")) {
                if (f.path("type").asText().equals("ZombieProcesses")
                        && f.path("pid").asInt() == init.pid()) {
                    finding = f;
                }
            }
            assertThat(finding).as(report.toString()).isNotNull();
            assertThat(finding.path("count").asInt()).isEqualTo(2);
            assertThat(finding.path("message").asText()).contains("PID 1 of its PID namespace");
            assertThat(finding.path("nextStep").asText()).contains("ends the whole container");
        }
    }

    private static List<String> zombiesOf(int parent) throws Exception {
        return Commands.run("ps", "-o", "pid=,stat=", "--ppid", String.valueOf(parent))
                .lines()
                .filter(l -> l.trim().endsWith("Z"))
                .toList();
    }
}
