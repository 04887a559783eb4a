package io.tcphealth.agent.remediation;

import io.tcphealth.agent.nativeio.Libc;
import io.tcphealth.agent.proc.ProcFs;
import io.tcphealth.agent.proc.ProcStat;
import java.io.IOException;
import java.util.Optional;

/** kill(2), and {@code /proc/<pid>/stat} to see who is still there. */
public final class ProcProcessSignals implements ProcessSignals {
    private final ProcFs procFs;
    private final Libc libc;

    public ProcProcessSignals(ProcFs procFs, Libc libc) {
        this.procFs = procFs;
        this.libc = libc;
    }

    @Override
    public long startTicks(int pid) throws IOException {
        Optional<String> text = procFs.readIfPresent(procFs.pidPath(pid, "stat"));
        if (text.isEmpty()) {
            return -1;
        }
        return ProcStat.parse(procFs.pidPath(pid, "stat").toString(), text.get())
                .startTicks();
    }

    @Override
    public void signal(int pid, int signal) throws IOException {
        libc.kill(pid, signal);
    }
}
