package io.tcphealth.agent.proc;

import java.io.IOException;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads every process under a proc root into a {@link ProcessTable}.
 *
 * <p>Processes come and go while the scan runs: one that is gone before its {@code stat} is read is
 * skipped and counted as vanished; one that goes later keeps what was read, with -1 for the rest.
 * Unreadable files (permissions) and unparsable ones are recorded in {@link ScanProblems} and never
 * stop the scan.
 */
public final class ProcessTableReader {
    private final ProcFs procFs;

    public ProcessTableReader(ProcFs procFs) {
        this.procFs = procFs;
    }

    /**
     * @throws IOException only when the proc root itself cannot be listed
     */
    public ProcessTable read(ScanProblems problems) throws IOException {
        int[] pids = procFs.pids();
        boolean sizeCountsFds = isKernelProcfs();
        List<ProcessInfo> processes = new ArrayList<>(pids.length);
        Map<Integer, List<Integer>> liveThreads = new HashMap<>();
        for (int pid : pids) {
            ProcStat stat = stat(procFs.pidPath(pid, "stat"), problems);
            if (stat == null) {
                continue;
            }
            List<Integer> live = List.of();
            if (stat.isDead()) {
                live = liveThreadsOf(pid, problems);
                if (!live.isEmpty()) {
                    liveThreads.put(pid, live);
                }
            }
            // The fd table is shared by the thread group; a leader that exited has dropped its
            // reference, so a live thread's view is the process's.
            Path fdDir = live.isEmpty() ? procFs.pidPath(pid, "fd") : procFs.taskPath(pid, live.get(0), "fd");
            // PF_KTHREAD, not "ppid 2": inside a pid namespace pid 2 can be anything.
            boolean kernelThread = stat.isKernelThread();
            processes.add(new ProcessInfo(
                    pid,
                    stat.ppid(),
                    stat.state(),
                    stat.comm(),
                    stat.startTicks(),
                    stat.threads(),
                    kernelThread ? 0 : countFds(fdDir, sizeCountsFds, problems),
                    kernelThread ? -1 : fdSoftLimit(pid, problems),
                    kernelThread,
                    kernelThread ? null : container(pid, problems)));
        }
        markPidNamespaceInits(processes, problems);
        return ProcessTable.of(processes, liveThreads);
    }

    /**
     * Tells which parents of zombies are PID 1 of a nested PID namespace ({@code NSpid:} in their
     * status ends in 1 after the reader's own pid): a container's init inherits every orphan of its
     * namespace, and what to do about its zombies differs. Read for those parents only.
     */
    private void markPidNamespaceInits(List<ProcessInfo> processes, ScanProblems problems) {
        java.util.Set<Integer> parents = new java.util.HashSet<>();
        for (ProcessInfo p : processes) {
            if (p.isZombie() && p.ppid() > 0) {
                parents.add(p.ppid());
            }
        }
        if (parents.isEmpty()) {
            return;
        }
        for (int i = 0; i < processes.size(); i++) {
            ProcessInfo p = processes.get(i);
            if (!parents.contains(p.pid())) {
                continue;
            }
            Path status = procFs.pidPath(p.pid(), "status");
            try {
                if (isNestedInit(procFs.read(status, 64 * 1024))) {
                    processes.set(i, p.asPidNamespaceInit(true));
                }
            } catch (IOException e) {
                if (!ProcFs.isVanished(e)) {
                    problems.couldNotRead(status, e);
                }
            }
        }
    }

    /** "NSpid:\t4711\t1": more than one pid, the innermost 1. */
    static boolean isNestedInit(String status) {
        for (String line : status.split("\n")) {
            if (line.startsWith("NSpid:")) {
                String[] ids = line.substring(6).trim().split("\\s+");
                return ids.length > 1 && ids[ids.length - 1].equals("1");
            }
        }
        return false;
    }

    /** Tids other than the leader's whose own stat says they still run. */
    private List<Integer> liveThreadsOf(int pid, ScanProblems problems) {
        List<Integer> live = new ArrayList<>();
        int[] tids;
        try {
            tids = procFs.tids(pid);
        } catch (IOException e) {
            problems.couldNotRead(procFs.pidPath(pid, "task"), e);
            return live;
        }
        for (int tid : tids) {
            if (tid == pid) {
                continue;
            }
            ProcStat t = stat(procFs.taskPath(pid, tid, "stat"), problems);
            if (t != null && !t.isDead()) {
                live.add(tid);
            }
        }
        return live;
    }

    private ProcStat stat(Path file, ScanProblems problems) {
        try {
            String text = procFs.read(file);
            return ProcStat.parse(file.toString(), text);
        } catch (IOException e) {
            if (ProcFs.isVanished(e)) {
                problems.countVanished();
            } else {
                problems.couldNotRead(file, e);
            }
            return null;
        }
    }

    private long fdSoftLimit(int pid, ScanProblems problems) {
        Path file = procFs.pidPath(pid, "limits");
        try {
            return ProcLimits.parse(file.toString(), procFs.read(file)).openFilesSoft();
        } catch (IOException e) {
            if (!ProcFs.isVanished(e)) {
                problems.couldNotRead(file, e);
            }
            return -1;
        }
    }

    private ContainerRef container(int pid, ScanProblems problems) {
        Path file = procFs.pidPath(pid, "cgroup");
        try {
            return CgroupParser.parse(file.toString(), procFs.read(file));
        } catch (IOException e) {
            if (!ProcFs.isVanished(e)) {
                problems.couldNotRead(file, e);
            }
            return null;
        }
    }

    /** True when the root is a real procfs mount, not a fixture tree of ordinary directories. */
    private boolean isKernelProcfs() {
        try {
            return "proc".equals(Files.getFileStore(procFs.root()).type());
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Open fds of a process. Since Linux 6.2 the size procfs reports for {@code <pid>/fd} is the
     * number of open fds, one stat instead of listing a directory that may hold tens of thousands
     * of entries. Older kernels report 0, and so does a process without fds: both are listed.
     */
    private static int countFds(Path dir, boolean sizeCountsFds, ScanProblems problems) {
        if (sizeCountsFds) {
            try {
                long size = Files.size(dir);
                if (size > 0 && size <= Integer.MAX_VALUE) {
                    return (int) size;
                }
            } catch (IOException e) {
                if (!ProcFs.isVanished(e)) {
                    problems.couldNotRead(dir, e);
                }
                return -1;
            }
        }
        return countEntries(dir, problems);
    }

    /** Entries of an fd directory, or -1 when it cannot be listed (gone or not permitted). */
    private static int countEntries(Path dir, ScanProblems problems) {
        int n = 0;
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path ignored : entries) {
                n++;
            }
            return n;
        } catch (IOException | DirectoryIteratorException e) {
            IOException cause = e instanceof DirectoryIteratorException die ? die.getCause() : (IOException) e;
            if (!ProcFs.isVanished(cause)) {
                problems.couldNotRead(dir, cause);
            }
            return -1;
        }
    }
}
