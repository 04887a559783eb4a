package io.tcphealth.operator;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class OperatorMainTest {

    @Test
    void anUnusableConfigurationStopsBeforeTouchingTheClusterWithEveryProblemListed() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream original = System.err;
        int exit;
        try {
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            exit = new CommandLine(new OperatorMain())
                    .execute(
                            "--namespace",
                            "Bad Namespace",
                            "--agent-image",
                            "",
                            "--agent-memory-request",
                            "1Gi",
                            "--agent-memory-limit",
                            "256Mi");
        } finally {
            System.setErr(original);
        }

        assertThat(exit).isEqualTo(OperatorMain.BAD_CONFIGURATION);
        assertThat(err.toString(StandardCharsets.UTF_8))
                .startsWith("Invalid operator configuration:")
                .contains("--namespace: 'Bad Namespace'")
                .contains("--agent-image (TCPHEALTH_AGENT_IMAGE): required")
                .contains("agent memory request 1Gi is above its limit 256Mi");
    }
}
