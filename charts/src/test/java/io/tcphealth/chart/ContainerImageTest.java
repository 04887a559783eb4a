package io.tcphealth.chart;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Quantity;
import io.tcphealth.testsupport.ProjectFiles;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * What can be checked of the images without a container engine: each Dockerfile runs the jar its module
 * builds, on a JRE 25, and the JVM flags it sets are accepted by JDK 25 and start that jar's main class.
 * The agent's flags are its argument file's, measured in docs/benchmarks.md.
 */
class ContainerImageTest {

    private static final Pattern FINAL_NAME = Pattern.compile("<finalName>([^<]+)</finalName>");
    private static final Pattern MAIN_CLASS = Pattern.compile("<mainClass>([^<]+)</mainClass>");

    private static final String AGENT_JVM_ARGS = "node-agent/src/main/jvm/agent.jvm-args";

    @Test
    void agentImageRunsTheShadedAgentJarWithItsArgumentFile() throws Exception {
        Dockerfile dockerfile = Dockerfile.read(ProjectFiles.file("node-agent/Dockerfile"));
        String pom = Files.readString(ProjectFiles.file("node-agent/pom.xml"));
        String jar = jar("node-agent", pom);
        String argsInImage = dockerfile.destinationOf(AGENT_JVM_ARGS);

        assertThat(dockerfile.from()).matches("eclipse-temurin:25(\\.[0-9.]+)?-jre.*");
        assertThat(dockerfile.entrypoint())
                .isEqualTo("[\"java\", \"@" + argsInImage
                        + "\", \"-XX:AOTCache=/opt/tcphealth/tcphealth.aot\", \"-jar\", \""
                        + dockerfile.destinationOf(jar) + "\"]");
        assertThat(Files.readAllLines(ProjectFiles.file(".dockerignore"))).contains("!" + jar, "!" + AGENT_JVM_ARGS);
        assertThat(dockerfile.user()).isEqualTo("0");
        String flags = String.join(" ", agentFlags());
        assertThat(flags)
                .contains(
                        "-XX:+UseSerialGC",
                        "-Xmx",
                        "-XX:MaxMetaspaceSize=",
                        "-XX:+ExitOnOutOfMemoryError",
                        "-XX:-UsePerfData");

        // The image's way: java @file -jar ...; here the same file and the same main class on the test class path.
        Process process =
                start("", List.of("@" + ProjectFiles.file(AGENT_JVM_ARGS)), mainClass(pom), "diagnose", "--help");
        String output = finish(process);
        assertThat(process.exitValue()).as(output).isZero();
        assertThat(output).contains("--host-netns").doesNotContain("Unrecognized VM option");
    }

    @Test
    void agentHeapAndMetaspaceFitWellInsideTheDefaultMemoryLimit() throws IOException {
        String flags = String.join(" ", agentFlags());
        String limit = AgentDaemonSetAgreementTest.operatorEnv(RenderedChart.render(Map.of()))
                .get("TCPHEALTH_AGENT_MEMORY_LIMIT");
        long limitBytes = Quantity.getAmountInBytes(new Quantity(limit)).longValue();
        long jvm =
                size(flags, "-Xmx") + size(flags, "-XX:MaxMetaspaceSize=") + size(flags, "-XX:ReservedCodeCacheSize=");

        // Leave half the limit for thread stacks, GC structures, netlink buffers (off-heap) and the libc.
        assertThat(jvm)
                .as("heap + metaspace + code cache of %s against limit %s", flags, limit)
                .isLessThan(limitBytes / 2);
    }

    /** The flags of the agent's argument file: one or more a line, '#' starts a comment. */
    private static List<String> agentFlags() throws IOException {
        List<String> flags = new ArrayList<>();
        for (String line : Files.readAllLines(ProjectFiles.file(AGENT_JVM_ARGS))) {
            String text = line.contains("#") ? line.substring(0, line.indexOf('#')) : line;
            for (String flag : text.strip().split("\\s+")) {
                if (!flag.isEmpty()) {
                    flags.add(flag);
                }
            }
        }
        return flags;
    }

    @Test
    void operatorImageRunsTheShadedOperatorJarAsNonRootWithTheChartsFlags() throws Exception {
        Dockerfile dockerfile = Dockerfile.read(ProjectFiles.file("operator/Dockerfile"));
        String pom = Files.readString(ProjectFiles.file("operator/pom.xml"));

        String jar = jar("operator", pom);
        assertThat(dockerfile.from()).matches("eclipse-temurin:25(\\.[0-9.]+)?-jre.*");
        assertThat(dockerfile.entrypoint())
                .isEqualTo("[\"java\", \"-jar\", \"" + dockerfile.destinationOf(jar) + "\"]");
        assertThat(Files.readAllLines(ProjectFiles.file(".dockerignore"))).contains("!" + jar);
        assertThat(dockerfile.user()).matches("[1-9][0-9]*:[1-9][0-9]*");
        String flags = dockerfile.env("JDK_JAVA_OPTIONS");
        String chartFlags = AgentDaemonSetAgreementTest.operatorEnv(RenderedChart.render(Map.of()))
                .get("JDK_JAVA_OPTIONS");
        assertThat(chartFlags).startsWith(flags + " ");

        Process process = start(chartFlags, List.of(), mainClass(pom), "--help");
        String output = finish(process);
        assertThat(process.exitValue()).as(output).isZero();
        assertThat(output).contains("--agent-image");
    }

    /** The shaded jar a module's build leaves, relative to the repository root. */
    private static String jar(String module, String pom) {
        Matcher finalName = FINAL_NAME.matcher(pom);
        assertThat(finalName.find()).as("shade finalName in %s/pom.xml", module).isTrue();
        return module + "/target/" + finalName.group(1) + ".jar";
    }

    private static String mainClass(String pom) {
        Matcher matcher = MAIN_CLASS.matcher(pom);
        assertThat(matcher.find()).isTrue();
        return matcher.group(1);
    }

    /** Starts the main class the way the image does: flags through JDK_JAVA_OPTIONS or an argument file. */
    private static Process start(String flags, List<String> jvmArgs, String mainClass, String... args)
            throws IOException {
        List<String> command = new ArrayList<>(
                List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(jvmArgs);
        command.addAll(
                List.of("--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"), mainClass));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("JDK_JAVA_OPTIONS", flags);
        builder.environment().remove("JAVA_TOOL_OPTIONS");
        return builder.start();
    }

    private static String finish(Process process) throws Exception {
        try {
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
            return output;
        } finally {
            process.destroyForcibly();
        }
    }

    private static long size(String flags, String prefix) {
        for (String flag : flags.split("\\s+")) {
            if (flag.startsWith(prefix)) {
                String value = flag.substring(prefix.length()).toLowerCase();
                long unit = switch (value.charAt(value.length() - 1)) {
                    case 'k' -> 1L << 10;
                    case 'm' -> 1L << 20;
                    case 'g' -> 1L << 30;
                    default -> 1L;
                };
                String digits = Character.isDigit(value.charAt(value.length() - 1))
                        ? value
                        : value.substring(0, value.length() - 1);
                return new BigDecimal(digits).longValue() * unit;
            }
        }
        throw new AssertionError("No " + prefix + " in " + flags);
    }
}
