package io.tcphealth.agent.proc;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What one scan could not read, in words an operator can act on ("could not read /proc/42/fd:
 * permission denied"). Processes that exit during a scan are not problems; they are only counted.
 *
 * <p>Thread-safe. Keeps the first {@value #MAX_MESSAGES} messages and counts the rest, so a node
 * with 100k unreadable fds does not produce a 100k-line report.
 */
public final class ScanProblems {
    public static final int MAX_MESSAGES = 50;

    private final List<String> messages = new ArrayList<>();
    private int total;
    private int permissionDenied;
    private int malformed;
    private int vanished;

    /** Records that {@code what} could not be read, classifying the reason. */
    public synchronized void couldNotRead(Path what, IOException reason) {
        if (ProcFs.isPermissionDenied(reason)) {
            permissionDenied++;
        }
        if (reason instanceof ProcParseException malformedFile) {
            malformed++;
            // Its message already names the file, the line and the text.
            record("could not parse " + malformedFile.getMessage());
            return;
        }
        record("could not read " + what + ": " + describe(reason));
    }

    /** Records a problem already phrased for an operator. */
    public synchronized void add(String message) {
        record(message);
    }

    /** Counts a process or thread that exited while it was being read: normal, not a problem. */
    public synchronized void countVanished() {
        vanished++;
    }

    public synchronized List<String> messages() {
        return List.copyOf(messages);
    }

    /** Every problem recorded, including those whose messages were not kept. */
    public synchronized int count() {
        return total;
    }

    public synchronized boolean isEmpty() {
        return total == 0;
    }

    /** Problems caused by missing privileges (EACCES, EPERM): the agent lacks a capability. */
    public synchronized int permissionDenied() {
        return permissionDenied;
    }

    /** Files whose content did not parse. */
    public synchronized int malformed() {
        return malformed;
    }

    public synchronized int vanished() {
        return vanished;
    }

    /** Messages not kept because of the cap. */
    public synchronized int omitted() {
        return total - messages.size();
    }

    private void record(String message) {
        total++;
        if (messages.size() < MAX_MESSAGES) {
            messages.add(message);
        }
    }

    private static String describe(IOException e) {
        if (ProcFs.isPermissionDenied(e)) {
            return "permission denied (the agent needs root or CAP_SYS_PTRACE for other users' processes)";
        }
        if (e instanceof java.nio.file.NoSuchFileException) {
            return "does not exist";
        }
        String message = e.getMessage();
        return message == null ? e.getClass().getSimpleName() : message;
    }

    @Override
    public synchronized String toString() {
        return total + " problem(s)" + (vanished > 0 ? ", " + vanished + " vanished" : "") + ": " + messages;
    }
}
