package io.tcphealth.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.tcphealth.testsupport.TestNetns;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command in a pipeline, as a person uses it: readers that go away, plans that repeat, exit statuses. */
class PipelineIT {
    @TempDir
    Path tmp;

    private static String java() {
        return ProcessHandle.current().info().command().orElseThrow();
    }

    @Test
    void watchEndsWhenItsReaderGoesAway() throws Exception {
        try (TestNetns ns = TestNetns.create()) {
            Process p = ns.start(
                    java(), "-jar", AgentProcess.jar().toString(), "diagnose", "--host-netns", "self", "--watch", "1s");
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            assertThat(out.readLine()).startsWith("Node ");
            // What 'head -1' does once it has its line.
            p.getInputStream().close();

            assertThat(p.waitFor(30, TimeUnit.SECONDS))
                    .as("diagnose --watch ended after its output closed")
                    .isTrue();
            assertThat(p.exitValue()).as("the status of its last scan").isBetween(0, 2);
        }
    }

    @Test
    void planRepeatsWithWatchAndStopsAfterCount() throws Exception {
        Path policy = Files.writeString(tmp.resolve("policy.yaml"), """
                apiVersion: tcphealth.io/v1alpha1
                kind: TcpHealthPolicy
                metadata:
                  name: pipeline
                spec:
                  interval: 5s
                  sysctls:
                    tcpFinTimeout: 30
                  remediation:
                    mode: Enforce
                """);
        try (TestNetns ns = TestNetns.create()) {
            AgentProcess plan = AgentProcess.run(
                    ns,
                    "diagnose",
                    "--plan",
                    "--policy",
                    policy.toString(),
                    "--host-netns",
                    "self",
                    "--watch",
                    "1s",
                    "--count",
                    "3");

            assertThat(plan.exitCode()).as(plan.output()).isZero();
            assertThat(plan.output().lines().filter(l -> l.startsWith("Plan of policy pipeline")))
                    .hasSize(3);
            assertThat(plan.output()).contains("net.ipv4.tcp_fin_timeout");
        }
    }

    @Test
    void aHostNamespaceThatCannotBeReadIsSaidLoudlyAndExitsThree() throws Exception {
        // As nobody, /proc/1/ns/net cannot be read: the scan falls back to the command's own namespace.
        Path dir = Files.createTempDirectory(
                "tcphealth-nobody", PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        Path jar = dir.resolve("tcphealth.jar");
        try (TestNetns ns = TestNetns.create()) {
            Files.copy(AgentProcess.jar(), jar, StandardCopyOption.REPLACE_EXISTING);
            Files.setPosixFilePermissions(jar, PosixFilePermissions.fromString("rw-r--r--"));
            Process p = ns.start(
                    "setpriv",
                    "--reuid=65534",
                    "--regid=65534",
                    "--clear-groups",
                    "--inh-caps=-all",
                    "--bounding-set=-all",
                    java(),
                    "-jar",
                    jar.toString(),
                    "diagnose",
                    "-o",
                    "json");
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();

            assertThat(p.exitValue()).as(out).isEqualTo(3);
            assertThat(out)
                    .contains("cannot read the host's network namespace (/proc/1/ns/net: permission denied)")
                    .contains("Run it as root")
                    .contains("--host-netns self")
                    .doesNotContain("Exception");
            assertThat(out).as("the report is still printed").contains("\"lastScan\"");
        } finally {
            Files.deleteIfExists(jar);
            Files.deleteIfExists(dir);
        }
    }
}
