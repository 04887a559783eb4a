package io.tcphealth.agent.netns;

import io.tcphealth.agent.nativeio.Errno;
import io.tcphealth.agent.nativeio.ErrnoException;
import io.tcphealth.agent.nativeio.Libc;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs work inside a network namespace.
 *
 * <p>{@code setns(CLONE_NEWNET)} moves only the calling thread, and a thread that has moved keeps
 * seeing the other namespace's sockets and {@code /proc/sys/net} for good. So every call gets a
 * fresh platform thread that enters the namespace, runs the task and ends: a thread in a foreign
 * namespace is never reused, and pool threads and virtual threads (which hop between carrier
 * threads) never move. A new thread starts in the namespace of the thread that created it, which is
 * how {@link #callInCurrent} works without {@code setns}.
 */
public final class NamespaceExecutor {
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

    private static final Path THREAD_NET_NS = Path.of("/proc/thread-self/ns/net");
    private static final int MAX_CANDIDATES = 5;

    private final Libc libc;
    private final Duration timeout;

    /** @param timeout how long a task may run before the caller gets a {@link NamespaceException} */
    public NamespaceExecutor(Libc libc, Duration timeout) {
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("Timeout must be positive, got " + timeout);
        }
        this.libc = libc;
        this.timeout = timeout;
    }

    public NamespaceExecutor(Libc libc) {
        this(libc, DEFAULT_TIMEOUT);
    }

    /**
     * Runs {@code task} in {@code namespace} and returns its result. When the namespace is the
     * caller's own (same inode), no {@code setns} happens, so no CAP_SYS_ADMIN is needed for it.
     *
     * @throws NamespaceException when the namespace cannot be entered (the path is gone, belongs to
     *                            another namespace by now, or permission is lacking), when the task
     *                            times out, or wrapping a checked exception other than IOException
     * @throws IOException        as thrown by the task
     */
    public <T> T call(NetNamespace namespace, Callable<T> task) throws IOException, InterruptedException {
        if (namespace.inode() == currentInode()) {
            return run(namespace.label(), null, task);
        }
        return run(namespace.label(), namespace, task);
    }

    /** Runs {@code task} on a fresh thread in the caller's own namespace, without {@code setns}. */
    public <T> T callInCurrent(Callable<T> task) throws IOException, InterruptedException {
        return run("current", null, task);
    }

    /** The inode of the calling thread's network namespace. */
    public static long currentInode() throws IOException {
        return NetNamespaceLink.inode(Files.readSymbolicLink(THREAD_NET_NS).toString(), THREAD_NET_NS);
    }

    private <T> T run(String label, NetNamespace target, Callable<T> task) throws IOException, InterruptedException {
        FutureTask<T> future = new FutureTask<>(() -> {
            if (target != null) {
                enter(target);
            }
            return task.call();
        });
        Thread worker =
                Thread.ofPlatform().name("netns worker " + label).daemon(true).unstarted(future);
        worker.start();
        try {
            return future.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            future.cancel(true);
            throw new NamespaceException("Work in network namespace " + label + " did not finish within " + timeout);
        } catch (InterruptedException e) {
            future.cancel(true);
            throw e;
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException io) {
                throw io;
            }
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw new NamespaceException("Work in network namespace " + label + " failed: " + cause, cause);
        }
    }

    /**
     * Moves the current (fresh) thread into {@code target} and checks that it arrived. When the
     * process behind a {@code <proc>/<pid>/ns/net} path has exited, the namespace's other processes
     * are tried.
     */
    private void enter(NetNamespace target) throws IOException {
        List<Path> candidates = candidatePaths(target);
        IOException firstFailure = null;
        for (Path candidate : candidates) {
            int fd;
            try {
                fd = libc.open(candidate.toString(), Libc.O_RDONLY | Libc.O_CLOEXEC);
            } catch (ErrnoException e) {
                if (firstFailure == null) {
                    firstFailure = e;
                }
                if (e.errno() == Errno.ENOENT || e.errno() == Errno.ESRCH) {
                    continue; // that process is gone
                }
                break;
            }
            try {
                libc.setns(fd, Libc.CLONE_NEWNET);
            } catch (IOException e) {
                throw new NamespaceException(
                        "Cannot enter network namespace " + target.label() + " through " + candidate + ": "
                                + e.getMessage(),
                        e);
            } finally {
                libc.close(fd);
            }
            verify(target, candidate);
            return;
        }
        String tried = candidates.size() == 1 ? "" : " (and " + (candidates.size() - 1) + " other processes' paths)";
        throw new NamespaceException(
                "Cannot enter network namespace " + target.label() + " through " + target.path() + tried + ": "
                        + firstFailure.getMessage(),
                firstFailure);
    }

    /**
     * A /proc/<pid>/ns/net path lives only as long as its process, and once the pid is reused it
     * names the new process's namespace: setns then succeeds in the wrong place.
     */
    private static void verify(NetNamespace target, Path through) throws IOException {
        long now = currentInode();
        if (now != target.inode()) {
            throw new NamespaceException("Entered network namespace net:[" + now + "] through " + through
                    + " instead of " + target.label() + " (the process behind the path changed?)");
        }
    }

    /** The namespace's path, then the same path for its other processes when it has that shape. */
    static List<Path> candidatePaths(NetNamespace ns) {
        List<Path> out = new ArrayList<>();
        out.add(ns.path());
        Path path = ns.path();
        Path pidDir = path.getParent() == null ? null : path.getParent().getParent();
        if (pidDir == null || pidDir.getParent() == null || !path.endsWith(Path.of("ns", "net"))) {
            return out;
        }
        String own = pidDir.getFileName().toString();
        if (ns.pids().stream().noneMatch(pid -> own.equals(Integer.toString(pid)))) {
            return out;
        }
        for (int pid : ns.pids()) {
            if (out.size() >= MAX_CANDIDATES) {
                break;
            }
            if (!own.equals(Integer.toString(pid))) {
                out.add(pidDir.getParent().resolve(pid + "/ns/net"));
            }
        }
        return out;
    }
}
