package io.tcphealth.agent.remediation;

import java.io.PrintWriter;
import java.time.Clock;
import java.time.temporal.ChronoUnit;

/** One line per event on the agent's log (standard error), with the time. */
public final class EventLog {
    private final PrintWriter out;
    private final Clock clock;

    public EventLog(PrintWriter out, Clock clock) {
        this.out = out;
        this.clock = clock;
    }

    public synchronized void info(String message) {
        out.println(clock.instant().truncatedTo(ChronoUnit.MILLIS) + " " + message);
        out.flush();
    }
}
