package io.tcphealth.agent.proc;

/**
 * The fields of {@code /proc/<pid>/stat} (or {@code /proc/<pid>/task/<tid>/stat}) that tcphealth
 * uses.
 *
 * @param pid        process (or thread) id, field 1
 * @param comm       command name, field 2, without the parentheses
 * @param state      one-letter state, field 3
 * @param ppid       parent pid, field 4
 * @param flags      kernel {@code PF_*} flags, field 9
 * @param threads    number of threads, field 20
 * @param startTicks start time after boot in clock ticks, field 22
 */
public record ProcStat(int pid, String comm, char state, int ppid, long flags, int threads, long startTicks) {

    /** {@code PF_KTHREAD} from {@code include/linux/sched.h}. */
    public static final long PF_KTHREAD = 0x00200000L;

    /** Fields after the comm, counting the state as index 0. */
    private static final int FLAGS = 6;

    private static final int THREADS = 17;
    private static final int START_TIME = 19;

    public boolean isKernelThread() {
        return (flags & PF_KTHREAD) != 0;
    }

    /** Zombie ({@code Z}) or dead ({@code X}): exited, nothing runs any more. */
    public boolean isDead() {
        return state == 'Z' || state == 'X';
    }

    /**
     * Parses one stat line. The comm is whatever lies between the first {@code (} and the last
     * {@code )}: a process may name itself {@code "a) S 1 (b"} (prctl PR_SET_NAME takes any bytes up
     * to 15, newlines included), and only the last parenthesis is the kernel's.
     *
     * @param file for error messages
     */
    public static ProcStat parse(String file, String text) throws ProcParseException {
        int open = text.indexOf('(');
        int close = text.lastIndexOf(')');
        if (open <= 0 || close < open) {
            throw new ProcParseException(file, 1, text, "no (comm)");
        }
        int pid = ProcNumbers.decimalInt(text.substring(0, open).trim());
        if (pid <= 0) {
            throw new ProcParseException(file, 1, text, "bad pid");
        }
        String comm = text.substring(open + 1, close);
        String[] rest = fieldsAfter(text, close + 1, START_TIME + 1);
        if (rest == null) {
            throw new ProcParseException(file, 1, text, "fewer than 22 fields");
        }
        if (rest[0].length() != 1) {
            throw new ProcParseException(file, 1, text, "bad state '" + rest[0] + "'");
        }
        int ppid = ProcNumbers.decimalInt(rest[1]);
        long flags = ProcNumbers.decimal(rest[FLAGS]);
        int threads = ProcNumbers.decimalInt(rest[THREADS]);
        long start = ProcNumbers.decimal(rest[START_TIME]);
        if (ppid < 0 || flags < 0 || threads < 0 || start < 0) {
            throw new ProcParseException(file, 1, text, "bad number in ppid, flags, num_threads or starttime");
        }
        return new ProcStat(pid, comm, rest[0].charAt(0), ppid, flags, threads, start);
    }

    /** The first {@code count} space-separated fields from {@code from}, or null if fewer. */
    private static String[] fieldsAfter(String text, int from, int count) {
        String[] out = new String[count];
        int n = 0;
        int i = from;
        int len = text.length();
        while (n < count) {
            while (i < len && text.charAt(i) == ' ') {
                i++;
            }
            if (i >= len || text.charAt(i) == '\n') {
                return null;
            }
            int start = i;
            while (i < len && text.charAt(i) != ' ' && text.charAt(i) != '\n') {
                i++;
            }
            out[n++] = text.substring(start, i);
        }
        return out;
    }
}
