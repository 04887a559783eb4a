package io.tcphealth.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tcphealth.testsupport.TestNetns;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@code diagnose} run as an unprivileged user (nobody, no capabilities) on sockets owned by root:
 * it still counts every socket, cannot name the owners, and says why instead of failing.
 */
class UnprivilegedDiagnoseIT {

    @Test
    void reportsWhatItCanReadAndSaysWhatItCannot() throws Exception {
        Path dir = Files.createTempDirectory(
                "tcphealth-nobody", PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        Path jar = dir.resolve("tcphealth.jar");
        try (TestNetns ns = TestNetns.create()) {
            Files.copy(
                    Path.of(System.getProperty("tcphealth.jar", "target/tcphealth.jar")),
                    jar,
                    StandardCopyOption.REPLACE_EXISTING);
            Files.setPosixFilePermissions(jar, PosixFilePermissions.fromString("rw-r--r--"));
            TestNetns.Helper rootOwned = ns.socklab("closewait", "127.0.0.1", 9080, 3);

            String java = ProcessHandle.current().info().command().orElseThrow();
            Process p = ns.start(
                    "setpriv",
                    "--reuid=65534",
                    "--regid=65534",
                    "--clear-groups",
                    "--inh-caps=-all",
                    "--bounding-set=-all",
                    java,
                    "-jar",
                    jar.toString(),
                    "diagnose",
                    "--host-netns",
                    "self",
                    "-o",
                    "json");
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();

            assertThat(p.exitValue()).as(out).isIn(0, 1, 2);
            JsonNode report = new ObjectMapper().readTree(out.substring(out.indexOf('{')));
            assertThat(report.path("states").path("closeWait").asLong()).isEqualTo(3);
            List<String> problems = toList(report.path("problems"));
            // One line for all the fd directories it could not read (root's processes, the helper's among them).
            assertThat(problems)
                    .anyMatch(m -> m.startsWith("could not read /proc/<n>/fd for ") && m.contains("permission denied"));
            assertThat(problems).noneMatch(m -> m.startsWith("could not read /proc/" + rootOwned.pid() + "/fd:"));
            JsonNode leak = findingOfType(report, "CloseWaitLeak");
            assertThat(leak.path("count").asLong()).isEqualTo(3);
            assertThat(leak.has("pid"))
                    .as("owner cannot be read without privileges")
                    .isFalse();
        } finally {
            Files.deleteIfExists(jar);
            Files.deleteIfExists(dir);
        }
    }

    private static List<String> toList(JsonNode array) {
        java.util.ArrayList<String> list = new java.util.ArrayList<>();
        array.forEach(n -> list.add(n.asText()));
        return list;
    }

    private static JsonNode findingOfType(JsonNode report, String type) throws IOException {
        for (JsonNode f : report.path("findings")) {
            if (type.equals(f.path("type").asText())) {
                return f;
            }
        }
        throw new IOException("No " + type + " finding in " + report);
    }
}
