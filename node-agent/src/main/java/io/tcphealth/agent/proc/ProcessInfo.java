package io.tcphealth.agent.proc;

/**
 * One process (thread group) as {@code /proc/<pid>} describes it.
 *
 * @param pid          thread-group id
 * @param ppid         parent's pid; 0 for PID 1 and kernel threads' parent
 * @param state        one-letter state from {@code stat}: R, S, D, Z, T, t, X, I, ...
 * @param comm         command name (may contain spaces and parentheses)
 * @param startTicks   start time after boot, in clock ticks ({@code stat} field 22)
 * @param threads      number of threads ({@code stat} field 20)
 * @param openFds      number of open file descriptors, or -1 when {@code fd/} could not be read
 * @param fdSoftLimit  soft {@code RLIMIT_NOFILE}, or -1 when unknown or unlimited
 * @param kernelThread true for kernel threads (no memory map, child of kthreadd)
 * @param container    the container it runs in, or null on the host
 * @param pidNamespaceInit true when it is PID 1 of a PID namespace other than the reader's (a
 *                     container's init: orphans of that namespace are re-parented to it); read only
 *                     for parents of zombies, false otherwise
 */
public record ProcessInfo(
        int pid,
        int ppid,
        char state,
        String comm,
        long startTicks,
        int threads,
        int openFds,
        long fdSoftLimit,
        boolean kernelThread,
        ContainerRef container,
        boolean pidNamespaceInit) {

    public ProcessInfo(
            int pid,
            int ppid,
            char state,
            String comm,
            long startTicks,
            int threads,
            int openFds,
            long fdSoftLimit,
            boolean kernelThread,
            ContainerRef container) {
        this(pid, ppid, state, comm, startTicks, threads, openFds, fdSoftLimit, kernelThread, container, false);
    }

    /** The same process, known to be (or not) the init of a nested PID namespace. */
    public ProcessInfo asPidNamespaceInit(boolean init) {
        return new ProcessInfo(
                pid, ppid, state, comm, startTicks, threads, openFds, fdSoftLimit, kernelThread, container, init);
    }

    public boolean isZombie() {
        return state == 'Z';
    }
}
