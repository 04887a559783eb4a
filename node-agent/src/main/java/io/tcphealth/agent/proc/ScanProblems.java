package io.tcphealth.agent.proc;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * What one scan could not read, in words an operator can act on ("could not read /proc/42/fd:
 * permission denied"). Processes that exit during a scan are not problems; they are only counted.
 *
 * <p>Thread-safe. Keeps the first {@value #MAX_MESSAGES} messages and counts the rest, so a node
 * with 100k unreadable fds does not produce a 100k-line report. Permission problems are gathered by
 * the kind of file ({@code /proc/<pid>/fd}), one line for all processes alike, because without a
 * capability they come by the hundred and say one thing.
 */
public final class ScanProblems {
    public static final int MAX_MESSAGES = 50;

    private final List<String> messages = new ArrayList<>();
    private int total;
    private int permissionDenied;
    private int malformed;
    private int vanished;
    private final Map<String, Denied> deniedByKind = new LinkedHashMap<>();

    private static final Pattern NUMBER_SEGMENT = Pattern.compile("/\\d+(?=/|$)");

    /** Permission problems on one kind of file: how many, and the first one as an example. */
    private static final class Denied {
        final Path example;
        int count;

        Denied(Path example) {
            this.example = example;
        }
    }

    /** Records that {@code what} could not be read, classifying the reason. */
    public synchronized void couldNotRead(Path what, IOException reason) {
        if (ProcFs.isPermissionDenied(reason)) {
            permissionDenied++;
            total++;
            deniedByKind.computeIfAbsent(kindOf(what), k -> new Denied(what)).count++;
            return;
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

    /** Permission problems first, one line per kind of file, then the others in the order they came. */
    public synchronized List<String> messages() {
        List<String> all = new ArrayList<>();
        for (Map.Entry<String, Denied> e : deniedByKind.entrySet()) {
            Denied d = e.getValue();
            all.add(
                    d.count == 1
                            ? "could not read " + d.example + ": " + PERMISSION_DENIED
                            : "could not read " + e.getKey() + " for " + d.count + " entries (like " + d.example + "): "
                                    + PERMISSION_DENIED);
        }
        all.addAll(messages);
        return List.copyOf(all);
    }

    /** {@code /proc/42/task/43/fd} becomes {@code /proc/<n>/task/<n>/fd}. */
    static String kindOf(Path what) {
        return NUMBER_SEGMENT.matcher(what.toString()).replaceAll("/<n>");
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

    /** Problems not in {@link #messages()}: past the cap, or folded into a line about their kind. */
    public synchronized int omitted() {
        return total - messages.size() - deniedByKind.size();
    }

    private void record(String message) {
        total++;
        if (messages.size() < MAX_MESSAGES) {
            messages.add(message);
        }
    }

    /** The hint fits who runs the scan: as root without CAP_SYS_PTRACE, "needs root" would mislead. */
    private static final String PERMISSION_DENIED =
            "permission denied (" + Privileges.current().fdHint() + ")";

    private static String describe(IOException e) {
        if (ProcFs.isPermissionDenied(e)) {
            return PERMISSION_DENIED;
        }
        if (e instanceof java.nio.file.NoSuchFileException) {
            return "does not exist";
        }
        String message = e.getMessage();
        return message == null ? "unreadable" : message;
    }

    @Override
    public synchronized String toString() {
        return total + " problem(s)" + (vanished > 0 ? ", " + vanished + " vanished" : "") + ": " + messages;
    }
}
