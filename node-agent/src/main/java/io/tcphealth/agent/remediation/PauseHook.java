package io.tcphealth.agent.remediation;

import java.io.PrintStream;

/**
 * Named points in a change where crash tests stop the agent: {@value #BEFORE_JOURNAL_WRITE},
 * {@value #AFTER_JOURNAL_WRITE} (the original is on disk, the value not yet changed) and
 * {@value #DURING_PULSE} ({@code tcp_max_orphans} is 0).
 *
 * <p>Only for tests: with the environment variable {@value #ENV} set to one of these names, the agent
 * prints {@code paused at NAME} on standard error when it gets there and blocks until killed, so a
 * test can SIGKILL it at exactly that point. Unset (always, in production), nothing happens.
 */
public interface PauseHook {
    String ENV = "TCPHEALTH_TEST_PAUSE_AT";
    String BEFORE_JOURNAL_WRITE = "before-journal-write";
    String AFTER_JOURNAL_WRITE = "after-journal-write";
    String DURING_PULSE = "during-pulse";

    PauseHook NONE = step -> {};

    void reached(String step) throws InterruptedException;

    /** The hook the environment asks for: {@link #NONE} unless {@value #ENV} is set. */
    static PauseHook fromEnvironment(PrintStream err) {
        String at = System.getenv(ENV);
        if (at == null || at.isBlank()) {
            return NONE;
        }
        return step -> {
            if (step.equals(at)) {
                err.println("paused at " + step);
                err.flush();
                while (true) {
                    Thread.sleep(60_000);
                }
            }
        };
    }
}
