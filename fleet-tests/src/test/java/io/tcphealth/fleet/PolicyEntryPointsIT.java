package io.tcphealth.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.tcphealth.agent.cli.TcpHealthCli;
import io.tcphealth.api.v1alpha1.CrdLayout;
import io.tcphealth.api.v1alpha1.Crds;
import io.tcphealth.api.v1alpha1.InvalidPolicy;
import io.tcphealth.api.v1alpha1.TcpHealthPolicy;
import io.tcphealth.operator.fleet.FleetPlan;
import io.tcphealth.operator.fleet.FleetPlanner;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

/**
 * The same good and bad policies through every entry point: the CRD schema (with its CEL rules), the operator
 * (as its planner sees a policy it read from the API server), and the agent's {@code run --policy} and
 * {@code diagnose --plan}. A policy is valid everywhere or nowhere, and every entry point names the fields the
 * invalid set's {@code # expect:} lines name.
 */
class PolicyEntryPointsIT {

    private static final KubernetesSerialization CLIENT = new KubernetesSerialization();
    private static final Node NODE = new NodeBuilder()
            .withNewMetadata()
            .withName("node-1")
            .addToLabels("tcphealth.io/pool", "checkout")
            .endMetadata()
            .build();

    @TempDir
    Path tmp;

    static List<InvalidPolicy> invalidPolicies() {
        return InvalidPolicy.all();
    }

    static List<Path> examples() throws IOException {
        try (Stream<Path> files = Files.list(CrdLayout.examplesDir())) {
            return files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
        }
    }

    @ParameterizedTest
    @MethodSource("invalidPolicies")
    void anInvalidPolicyIsRefusedByEveryEntryPoint(InvalidPolicy policy) {
        boolean schemaRefuses = !Crds.schema(TcpHealthPolicy.class)
                .admit(Crds.yaml(policy.file()))
                .isEmpty();
        assertThat(schemaRefuses).as("schema refuses %s", policy).isEqualTo(!policy.schemaAccepts());

        // The operator only ever sees what the API server stored; what the schema refuses never reaches it.
        if (!schemaRefuses) {
            List<String> operator = operatorProblems(policy.file());
            assertThat(operator).as("operator problems of %s", policy).isNotEmpty();
            policy.fieldExpectations().forEach(e -> assertThat(operator).anyMatch(e::namesFieldOf));
        }

        for (String[] command : List.of(
                new String[] {
                    "run",
                    "--policy",
                    policy.file().toString(),
                    "--once",
                    "--journal",
                    tmp.resolve("j").toString()
                },
                new String[] {"diagnose", "--plan", "--policy", policy.file().toString()})) {
            Result result = cli(command);
            assertThat(result.exit())
                    .as("%s %s: %s", command[0], policy, result.err())
                    .isEqualTo(TcpHealthCli.EXIT_USAGE);
            assertThat(result.err()).as("%s %s", command[0], policy).contains("refused policy");
            for (InvalidPolicy.Expectation e : policy.fieldExpectations()) {
                assertThat(result.err())
                        .as("%s %s names %s", command[0], policy, e.path())
                        .contains(e.path());
            }
        }
        assertThat(tmp.resolve("j"))
                .as("nothing was journaled for a refused policy")
                .doesNotExist();
    }

    @ParameterizedTest
    @MethodSource("examples")
    void anExampleIsAcceptedByEveryEntryPoint(Path example) throws Exception {
        assertThat(Crds.schema(TcpHealthPolicy.class).admit(Crds.yaml(example)))
                .as("schema on %s", example)
                .isEmpty();
        assertThat(operatorProblems(example)).as("operator on %s", example).isEmpty();

        Result plan = cli("diagnose", "--plan", "--policy", example.toString());
        assertThat(plan.exit())
                .as("diagnose --plan %s: %s", example, plan.err())
                .isNotEqualTo(TcpHealthCli.EXIT_USAGE);
        assertThat(plan.err()).doesNotContain("refused");

        // One real round, in a network namespace of its own, with the global key under a temporary sysctl root.
        Assumptions.assumeTrue(
                "root".equals(System.getProperty("user.name")), "run --policy needs root for unshare -n");
        Path sysctls = Files.createDirectories(tmp.resolve("sys/net/ipv4"));
        Files.writeString(sysctls.resolve("tcp_max_orphans"), "65536\n");
        Process run = new ProcessBuilder(
                        "unshare",
                        "-n",
                        ProcessHandle.current().info().command().orElseThrow(),
                        "--enable-native-access=ALL-UNNAMED",
                        "-cp",
                        System.getProperty("java.class.path"),
                        TcpHealthCli.class.getName(),
                        "run",
                        "--policy",
                        example.toString(),
                        "--once",
                        "--host-netns",
                        "self",
                        "--journal",
                        tmp.resolve("journal").toString(),
                        "--sysctl-root",
                        tmp.resolve("sys").toString())
                .redirectErrorStream(true)
                .start();
        try {
            assertThat(run.waitFor(60, TimeUnit.SECONDS))
                    .as("run --policy %s ends", example)
                    .isTrue();
            String output = new String(run.getInputStream().readAllBytes());
            assertThat(run.exitValue())
                    .as("run --policy %s: %s", example, output)
                    .isNotEqualTo(TcpHealthCli.EXIT_USAGE);
            assertThat(output).contains("Started with policy").doesNotContain("refused");
        } finally {
            run.destroyForcibly().waitFor();
        }
    }

    /** What the operator's planner reports for the policy, read the way its client reads stored objects. */
    private static List<String> operatorProblems(Path file) {
        TcpHealthPolicy policy = CLIENT.convertValue(Crds.yaml(file), TcpHealthPolicy.class);
        FleetPlan plan = FleetPlanner.plan(List.of(policy), List.of(NODE), Map.of());
        return plan.problems().getOrDefault(policy.getMetadata().getName(), List.of());
    }

    private record Result(int exit, String err) {}

    private static Result cli(String... args) {
        StringWriter err = new StringWriter();
        CommandLine line = TcpHealthCli.commandLine();
        line.setOut(new PrintWriter(new StringWriter()));
        line.setErr(new PrintWriter(err, true));
        int exit = line.execute(args);
        return new Result(exit, err.toString());
    }
}
