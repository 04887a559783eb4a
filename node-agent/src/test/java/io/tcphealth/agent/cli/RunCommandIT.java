package io.tcphealth.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.tcphealth.agent.metrics.DocumentedMetrics;
import io.tcphealth.testsupport.TestNetns;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code tcphealth run} and {@code restore} as a user runs them: the built jar inside a private
 * namespace with {@code --host-netns self}, and {@code tcp_max_orphans} under a temporary sysctl root.
 */
class RunCommandIT {
    private static final String KEYS = "net.ipv4.tcp_keepalive_time net.ipv4.tcp_fin_timeout";

    @TempDir
    Path tmp;

    private Path globalRoot() throws Exception {
        Path root = tmp.resolve("sys");
        Files.createDirectories(root.resolve("net/ipv4"));
        Files.writeString(root.resolve("net/ipv4/tcp_max_orphans"), "65536\n");
        return root;
    }

    private String maxOrphans() throws Exception {
        return Files.readString(tmp.resolve("sys/net/ipv4/tcp_max_orphans")).trim();
    }

    private static String sysctls(TestNetns ns) throws Exception {
        return ns.exec(("sysctl -n " + KEYS).split(" "));
    }

    private Path policy(String remediation) throws Exception {
        Path file = tmp.resolve("policy.yaml");
        Files.writeString(file, """
                apiVersion: tcphealth.io/v1alpha1
                kind: TcpHealthPolicy
                metadata:
                  name: crash-test
                spec:
                  interval: 5s
                  ports: [9085]
                  sysctls:
                    tcpKeepaliveTime: 600
                    tcpFinTimeout: 30
                  remediation:
                    mode: Enforce
                """ + remediation);
        return file;
    }

    private String[] run(Path policy, Path journal, String... more) throws Exception {
        List<String> args = new java.util.ArrayList<>(List.of(
                "run",
                "--policy",
                policy.toString(),
                "--journal",
                journal.toString(),
                "--host-netns",
                "self",
                "--sysctl-root",
                globalRoot().getParent().resolve("sys").toString()));
        args.addAll(List.of(more));
        return args.toArray(String[]::new);
    }

    @ParameterizedTest
    @ValueSource(strings = {"before-journal-write", "after-journal-write", "during-pulse"})
    void killedAtAnyStepTheNextStartPutsEveryValueBackAndASecondReplayChangesNothing(String step) throws Exception {
        try (TestNetns ns = TestNetns.create()) {
            globalRoot();
            ns.sysctl("net.ipv4.tcp_orphan_retries", 2);
            ns.socklab("finwait1", "127.0.0.1", 9085, 2, "server");
            String before = sysctls(ns);
            Path policy = policy("""
                        flushOrphans:
                          enabled: true
                          whenOrphansAbove: 0
                          maxDuration: 3s
                          cooldown: 10m
                    """);
            Path journal = tmp.resolve("journal");

            AgentProcess agent = AgentProcess.start(ns, step, run(policy, journal, "--once"));
            agent.awaitLine(l -> l.equals("paused at " + step), 60);
            agent.kill();

            switch (step) {
                case "before-journal-write" -> assertThat(sysctls(ns)).isEqualTo(before);
                case "after-journal-write" -> {
                    assertThat(Files.readString(journal.resolve("journal.log"))).contains("\"type\":\"intent\"");
                    assertThat(sysctls(ns))
                            .as("killed between the journal write and the change")
                            .isEqualTo(before);
                }
                default -> {
                    assertThat(maxOrphans()).as("killed during the pulse").isEqualTo("0");
                    assertThat(sysctls(ns)).isEqualTo("600\n30\n");
                }
            }

            // Started again: transient changes are undone first, tuning is held.
            AgentProcess again = AgentProcess.run(ns, run(policy, journal, "--once"));
            assertThat(again.exitCode()).as(again.output()).isZero();
            assertThat(maxOrphans()).isEqualTo("65536");
            assertThat(sysctls(ns)).isEqualTo("600\n30\n");
            if (step.equals("during-pulse")) {
                assertThat(again.output())
                        .contains("Undid 1 transient change left open by an earlier run")
                        .contains("cooling down");
            }

            // The policy goes: everything back; a second replay finds nothing to do.
            AgentProcess restore = AgentProcess.run(ns, "restore", "--journal", journal.toString());
            assertThat(restore.exitCode()).as(restore.output()).isZero();
            assertThat(sysctls(ns)).isEqualTo(before);
            assertThat(maxOrphans()).isEqualTo("65536");
            String journalText = Files.readString(journal.resolve("journal.log"));
            AgentProcess second = AgentProcess.run(ns, "restore", "--journal", journal.toString());
            assertThat(second.exitCode()).isZero();
            assertThat(second.output()).contains("Nothing to restore");
            assertThat(Files.readString(journal.resolve("journal.log"))).isEqualTo(journalText);
            assertThat(sysctls(ns)).isEqualTo(before);
        }
    }

    /** The actions of a printed round report, as "kind target message". */
    private static List<String> actions(String json) throws Exception {
        com.fasterxml.jackson.databind.JsonNode report = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(json.substring(json.indexOf('{'), json.lastIndexOf('}') + 1));
        List<String> out = new java.util.ArrayList<>();
        report.path("actions")
                .forEach(a -> out.add(a.path("kind").asText() + " "
                        + a.path("target").asText() + " " + a.path("message").asText() + " "
                        + a.path("result").asText()));
        return out;
    }

    @Test
    void diagnosePlanAndDryRunShowExactlyWhatEnforceThenDoes() throws Exception {
        try (TestNetns ns = TestNetns.create()) {
            String before = sysctls(ns);
            Path policy = policy("");
            Path journal = tmp.resolve("journal");

            AgentProcess plan = AgentProcess.run(
                    ns, "diagnose", "--plan", "--policy", policy.toString(), "--host-netns", "self", "-o", "json");
            Files.writeString(policy, Files.readString(policy).replace("mode: Enforce", "mode: DryRun"));
            AgentProcess dry = AgentProcess.run(ns, run(policy, journal, "--once", "-o", "json"));
            assertThat(sysctls(ns)).as("planning and DryRun change nothing").isEqualTo(before);
            Files.writeString(policy, Files.readString(policy).replace("mode: DryRun", "mode: Enforce"));
            AgentProcess enforce = AgentProcess.run(ns, run(policy, journal, "--once", "-o", "json"));

            assertThat(plan.exitCode()).as(plan.output()).isZero();
            assertThat(enforce.exitCode()).as(enforce.output()).isZero();
            List<String> planned = actions(plan.output());
            assertThat(planned)
                    .containsExactly(
                            "SetSysctl net.ipv4.tcp_keepalive_time in host Set net.ipv4.tcp_keepalive_time in host from 7200 to 600 DryRun",
                            "SetSysctl net.ipv4.tcp_fin_timeout in host Set net.ipv4.tcp_fin_timeout in host from 60 to 30 DryRun");
            assertThat(actions(dry.output())).isEqualTo(planned);
            assertThat(actions(enforce.output()))
                    .isEqualTo(planned.stream()
                            .map(a -> a.replace(" DryRun", " Done"))
                            .toList());
            assertThat(sysctls(ns)).isEqualTo("600\n30\n");
            assertThat(AgentProcess.run(ns, "restore", "--journal", journal.toString())
                            .exitCode())
                    .isZero();
            assertThat(sysctls(ns)).isEqualTo(before);
        }
    }

    @Test
    void removingThePolicyFilePutsItsValuesBackAndStopsTheAgent() throws Exception {
        try (TestNetns ns = TestNetns.create()) {
            String before = sysctls(ns);
            Path policy = policy("");
            AgentProcess agent = AgentProcess.start(ns, null, run(policy, tmp.resolve("journal")));
            agent.awaitLine(l -> l.contains("Round of policy crash-test"), 60);
            assertThat(sysctls(ns)).isEqualTo("600\n30\n");

            Files.delete(policy);

            assertThat(agent.exitCode()).isZero();
            assertThat(agent.awaitLine(l -> l.contains("was removed"), 10))
                    .contains("putting back what policy crash-test changed");
            assertThat(sysctls(ns)).isEqualTo(before);
        }
    }

    @Test
    void stoppedDuringThePulseTheAgentPutsTheLimitBackBeforeItExits() throws Exception {
        try (TestNetns ns = TestNetns.create()) {
            globalRoot();
            ns.sysctl("net.ipv4.tcp_orphan_retries", 2);
            ns.socklab("finwait1", "127.0.0.1", 9085, 2, "server");
            Path policy = policy("""
                        flushOrphans:
                          enabled: true
                          whenOrphansAbove: 0
                          maxDuration: 60s
                    """);
            AgentProcess agent = AgentProcess.start(ns, null, run(policy, tmp.resolve("journal")));
            agent.awaitLine(l -> l.contains("Set net.ipv4.tcp_max_orphans to 0 (was 65536)"), 60);
            assertThat(maxOrphans()).isEqualTo("0");

            agent.terminate();

            assertThat(agent.isAlive()).isFalse();
            assertThat(maxOrphans()).isEqualTo("65536");
            assertThat(agent.output())
                    .contains("Restored net.ipv4.tcp_max_orphans in host to 65536")
                    .contains("Stopping on request");
        }
    }

    @Test
    void anUnsafePolicyIsRefusedBeforeAnythingChanges() throws Exception {
        try (TestNetns ns = TestNetns.create()) {
            String before = sysctls(ns);
            Path policy = policy("""
                        killSockets:
                          states: [ESTABLISHED]
                          maxPerScan: 0
                    """);
            AgentProcess p = AgentProcess.run(ns, run(policy, tmp.resolve("journal"), "--once"));

            assertThat(p.exitCode()).isEqualTo(3);
            assertThat(p.output())
                    .contains("refused policy")
                    .contains("spec.remediation.killSockets.states")
                    .contains("spec.remediation.killSockets.maxPerScan");
            assertThat(sysctls(ns)).isEqualTo(before);
            assertThat(tmp.resolve("journal")).doesNotExist();
        }
    }

    @Test
    void aCorruptJournalIsReportedAndNothingIsGuessed() throws Exception {
        try (TestNetns ns = TestNetns.create()) {
            Path journal = tmp.resolve("journal");
            Files.createDirectories(journal);
            Files.writeString(journal.resolve("journal.log"), "00000000 {\"seq\":1,\"type\":\"intent\"}\n");
            AgentProcess p = AgentProcess.run(ns, "restore", "--journal", journal.toString());
            assertThat(p.exitCode()).isEqualTo(3);
            assertThat(p.output()).contains("is corrupt at line 1").contains("checksum");
        }
    }

    @Test
    void withTheFieldReportsSettingsRunFreesAPortHeldByStuckSocketsAndLeavesNoTrace() throws Exception {
        try (TestNetns ns = TestNetns.create()) {
            globalRoot();
            ns.sysctl("net.ipv4.tcp_orphan_retries", 2);
            ns.socklab("finwait1", "127.0.0.1", 9080, 3, "server");
            ns.socklab("closewait", "127.0.0.1", 9080, 3);
            String before = sysctls(ns);
            assertThat(ns.ss("( sport = :9080 )")).hasSize(6);
            Path policy = tmp.resolve("checkout.yaml");
            // The shipped example of the field report's case, with the shortest interval and olderThan the schema
            // allows.
            String example = io.tcphealth.agent.policy.ExamplePolicies.read("checkout-enforce.yaml")
                    .replace("interval: 30s", "interval: 5s")
                    .replace("olderThan: 10m", "olderThan: 30s");
            assertThat(example).contains("interval: 5s", "olderThan: 30s", "mode: Enforce");
            Files.writeString(policy, example);
            Path journal = tmp.resolve("journal");

            AgentProcess agent = AgentProcess.start(ns, null, run(policy, journal, "--metrics-port", "0"));
            agent.awaitLine(l -> l.contains("Set net.ipv4.tcp_keepalive_time in host to 600"), 60);
            assertThat(maxOrphans()).isEqualTo("131072");
            agent.awaitLine(l -> l.contains("Destroyed FIN_WAIT1 127.0.0.1:9080"), 120);
            agent.awaitLine(l -> l.contains("Destroyed CLOSE_WAIT 127.0.0.1:9080"), 30);
            String port = agent.awaitLine(l -> l.contains("Serving metrics on port"), 5)
                    .replaceAll(".* port ", "");
            // Metrics are counted when the round that destroyed the sockets ends.
            org.awaitility.Awaitility.await()
                    .atMost(java.time.Duration.ofSeconds(20))
                    .untilAsserted(() -> assertThat(ns.exec(
                                    "bash",
                                    "-c",
                                    "exec 3<>/dev/tcp/127.0.0.1/" + port
                                            + "; printf 'GET /metrics HTTP/1.0\\r\\n\\r\\n' >&3; cat <&3"))
                            .contains("tcphealth_remediation_actions_total{kind=\"kill_socket\",result=\"done\"} 6.0")
                            .contains(
                                    "tcphealth_rounds_total",
                                    "tcphealth_findings_by_type{",
                                    "tcphealth_tcp_max_orphans ")
                            // Every metric docs/metrics.md lists, under the same names as in a cluster; only the API
                            // writes stay empty without an API server.
                            .contains(DocumentedMetrics.agent().stream()
                                    .filter(name -> !name.equals("tcphealth_api_writes_total"))
                                    .toList()));
            assertThat(ns.ss("( sport = :9080 )")).isEmpty();

            agent.terminate();
            assertThat(agent.output()).contains("Stopping on request");
            assertThat(agent.isAlive()).isFalse();
            ns.socklab("listen", "127.0.0.1", 9080);

            AgentProcess restore = AgentProcess.run(ns, "restore", "--journal", journal.toString());
            assertThat(restore.exitCode()).as(restore.output()).isZero();
            assertThat(sysctls(ns)).isEqualTo(before);
            assertThat(maxOrphans()).isEqualTo("65536");
            assertThat(ns.exec(
                            "sysctl",
                            "-n",
                            "net.ipv4.tcp_keepalive_intvl",
                            "net.ipv4.tcp_keepalive_probes",
                            "net.ipv4.tcp_orphan_retries"))
                    .isEqualTo("75\n9\n2\n");
        }
    }
}
