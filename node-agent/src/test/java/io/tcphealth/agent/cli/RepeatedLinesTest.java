package io.tcphealth.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class RepeatedLinesTest {
    private final StringWriter sink = new StringWriter();
    private final RepeatedLines lines = new RepeatedLines(new PrintWriter(sink), 3, "Round of policy ");
    private final PrintWriter log = new PrintWriter(lines, true);

    private void round(int n, String... messages) {
        lines.nextRound();
        for (String m : messages) {
            log.println("2026-12-01T20:00:0" + n + "Z " + m);
        }
        log.println("2026-12-01T20:00:0" + n + "Z Round of policy p (DryRun): 0 critical");
    }

    @Test
    void eachRoundAddsItsSummaryAndOnlyNews() {
        round(1, "Would set net.ipv4.tcp_fin_timeout in host from 60 to 30", "Not done: 3 zombies first seen");
        round(2, "Would set net.ipv4.tcp_fin_timeout in host from 60 to 30");
        round(3, "Would set net.ipv4.tcp_fin_timeout in host from 60 to 30", "Not done: 3 zombies first seen");
        round(4, "Would set net.ipv4.tcp_fin_timeout in host from 60 to 30", "Set net.ipv4.tcp_keepalive_time to 600");

        String out = sink.toString();
        assertThat(out.lines().filter(l -> l.contains("Round of policy"))).hasSize(4);
        assertThat(out.lines().filter(l -> l.contains("Would set")))
                .as("said once, then quiet for the window")
                .hasSize(2);
        assertThat(out.lines().filter(l -> l.contains("zombies first seen")))
                .as("a note that comes and goes does not flap")
                .hasSize(1);
        assertThat(out).contains("Set net.ipv4.tcp_keepalive_time to 600");
    }
}
