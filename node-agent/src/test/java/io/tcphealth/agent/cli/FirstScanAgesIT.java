package io.tcphealth.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tcphealth.agent.diagnosis.SocketAgeStore;
import io.tcphealth.testsupport.TestNetns;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ages on the very first scan: CLOSE_WAIT sockets left idle for a few seconds before tcphealth first
 * looks are reported with the kernel's idle time as a lower bound (checked against {@code ss -ti}),
 * {@code olderThan} acts on it in the first round, and what the agent observed is kept in the journal
 * folder.
 */
class FirstScanAgesIT {
    private static final Pattern LASTACK = Pattern.compile("lastack:(\\d+)");

    @TempDir
    Path tmp;

    @Test
    void theFirstScanSaysHowLongTheSocketsHaveBeenIdleAndOlderThanActsOnIt() throws Exception {
        try (TestNetns ns = TestNetns.create()) {
            ns.socklab("closewait", "127.0.0.1", 9180, 2);
            ns.socklab("established", "127.0.0.1", 9181, 1);
            Thread.sleep(32_000); // olderThan may not be shorter than 30s

            AgentProcess diagnose = AgentProcess.run(ns, "diagnose", "--host-netns", "self", "-o", "json");
            JsonNode report = new ObjectMapper().readTree(json(diagnose.output()));
            JsonNode closeWait = finding(report, "CloseWaitLeak", 9180);
            long ssIdleMillis = ssLastAck(ns);

            assertThat(closeWait.path("ageBasis").asText()).isEqualTo("kernelIdle");
            long age = closeWait.path("ageSeconds").asLong();
            assertThat(age).isGreaterThanOrEqualTo(32).isLessThanOrEqualTo(ssIdleMillis / 1000 + 1);
            assertThat(closeWait.path("message").asText())
                    .contains("idle for at least "
                            + io.tcphealth.agent.diagnosis.Durations.human(java.time.Duration.ofSeconds(age)));

            AgentProcess table = AgentProcess.run(ns, "diagnose", "--host-netns", "self");
            assertThat(table.output()).containsPattern(">=\\d+s").contains("AGE: >=N is the kernel's idle time");
            assertThat(table.output().lines()).allMatch(l -> l.length() <= 120);

            Path policy = tmp.resolve("policy.yaml");
            Files.writeString(policy, """
                    apiVersion: tcphealth.io/v1alpha1
                    kind: TcpHealthPolicy
                    metadata:
                      name: first-round
                    spec:
                      interval: 5s
                      ports: [9180]
                      remediation:
                        mode: Enforce
                        killSockets:
                          states: [CLOSE_WAIT]
                          ports: [9180]
                          olderThan: 30s
                          maxPerScan: 10
                    """);
            Path journal = tmp.resolve("journal");
            AgentProcess run = AgentProcess.run(
                    ns,
                    "run",
                    "--policy",
                    policy.toString(),
                    "--journal",
                    journal.toString(),
                    "--host-netns",
                    "self",
                    "--sysctl-root",
                    tmp.resolve("sys").toString(),
                    "--once");

            assertThat(run.exitCode()).as(run.output()).isZero();
            assertThat(ns.ss("state", "close-wait"))
                    .as("olderThan acted on the kernel's idle time in the first round")
                    .isEmpty();
            assertThat(ns.ss("state", "established", "( sport = :9181 or dport = :9181 )"))
                    .hasSize(2);
            assertThat(journal.resolve(SocketAgeStore.FILE)).exists();
        }
    }

    private static long ssLastAck(TestNetns ns) throws Exception {
        String out = ns.exec("ss", "-tniH", "state", "close-wait", "( sport = :9180 )");
        long max = 0;
        Matcher m = LASTACK.matcher(out);
        while (m.find()) {
            max = Math.max(max, Long.parseLong(m.group(1)));
        }
        assertThat(max).as("ss -ti printed lastack: " + out).isPositive();
        return max;
    }

    private static String json(String output) {
        return output.substring(output.indexOf('{'), output.lastIndexOf('}') + 1);
    }

    private static JsonNode finding(JsonNode report, String type, int port) {
        for (JsonNode f : report.path("findings")) {
            if (type.equals(f.path("type").asText()) && f.path("port").asInt() == port) {
                return f;
            }
        }
        throw new AssertionError("no " + type + " on " + port + " in " + report);
    }
}
