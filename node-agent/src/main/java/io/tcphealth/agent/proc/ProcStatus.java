package io.tcphealth.agent.proc;

/**
 * The fields of {@code /proc/<pid>/status} that tell a thread from its thread group and who owns it.
 *
 * @param tgid         thread-group id: the process a thread belongs to
 * @param pid          this task's id
 * @param ppid         parent pid
 * @param realUid      real user id (first of the four {@code Uid:} values)
 * @param effectiveUid effective user id (second value)
 * @param threads      number of threads in the group
 * @param state        one-letter state
 */
public record ProcStatus(int tgid, int pid, int ppid, int realUid, int effectiveUid, int threads, char state) {

    public static ProcStatus parse(String file, String text) throws ProcParseException {
        int tgid = -1;
        int pid = -1;
        int ppid = -1;
        int ruid = -1;
        int euid = -1;
        int threads = -1;
        char state = 0;
        int lineNo = 0;
        for (String line : text.split("\n", -1)) {
            lineNo++;
            int colon = line.indexOf(':');
            if (colon <= 0) {
                continue;
            }
            String key = line.substring(0, colon);
            String value = line.substring(colon + 1).trim();
            switch (key) {
                case "Tgid" -> tgid = number(file, lineNo, line, value);
                case "Pid" -> pid = number(file, lineNo, line, value);
                case "PPid" -> ppid = number(file, lineNo, line, value);
                case "Threads" -> threads = number(file, lineNo, line, value);
                case "State" -> {
                    if (value.isEmpty()) {
                        throw new ProcParseException(file, lineNo, line, "empty State");
                    }
                    state = value.charAt(0);
                }
                case "Uid" -> {
                    String[] ids = value.split("\\s+");
                    if (ids.length != 4) {
                        throw new ProcParseException(file, lineNo, line, "Uid needs 4 values");
                    }
                    ruid = number(file, lineNo, line, ids[0]);
                    euid = number(file, lineNo, line, ids[1]);
                }
                default -> {
                    // other keys are not needed
                }
            }
        }
        if (tgid < 0 || pid < 0 || ppid < 0 || ruid < 0 || threads < 0 || state == 0) {
            throw new ProcParseException(file, 0, text, "missing State, Tgid, Pid, PPid, Uid or Threads");
        }
        return new ProcStatus(tgid, pid, ppid, ruid, euid, threads, state);
    }

    private static int number(String file, int lineNo, String line, String value) throws ProcParseException {
        int v = ProcNumbers.decimalInt(value);
        if (v < 0) {
            throw new ProcParseException(file, lineNo, line, "not a number");
        }
        return v;
    }
}
