package io.tcphealth.agent.remediation;

import java.io.IOException;

/** Signals processes and looks at whether they still exist. */
public interface ProcessSignals {

    /** The process's start time in clock ticks, or -1 when it no longer exists: tells a reused pid apart. */
    long startTicks(int pid) throws IOException;

    void signal(int pid, int signal) throws IOException;
}
