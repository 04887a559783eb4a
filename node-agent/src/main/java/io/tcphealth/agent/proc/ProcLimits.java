package io.tcphealth.agent.proc;

/**
 * The open-files limit from {@code /proc/<pid>/limits}.
 *
 * @param openFilesSoft soft {@code RLIMIT_NOFILE}, -1 for unlimited
 * @param openFilesHard hard {@code RLIMIT_NOFILE}, -1 for unlimited
 */
public record ProcLimits(long openFilesSoft, long openFilesHard) {
    private static final String OPEN_FILES = "Max open files";

    /**
     * Parses the table the kernel prints with {@code "%-25s %-20s %-20s %-10s"}: name, soft, hard,
     * units. The name contains spaces, so the values are the first two words after it.
     */
    public static ProcLimits parse(String file, String text) throws ProcParseException {
        int lineNo = 0;
        for (String line : text.split("\n", -1)) {
            lineNo++;
            if (!line.startsWith(OPEN_FILES)) {
                continue;
            }
            String[] words = line.substring(OPEN_FILES.length()).trim().split("\\s+");
            if (words.length < 2) {
                throw new ProcParseException(file, lineNo, line, "needs soft and hard values");
            }
            return new ProcLimits(value(file, lineNo, line, words[0]), value(file, lineNo, line, words[1]));
        }
        throw new ProcParseException(file, 0, text, "no \"" + OPEN_FILES + "\" line");
    }

    private static long value(String file, int lineNo, String line, String word) throws ProcParseException {
        if (word.equals("unlimited")) {
            return -1;
        }
        long v = ProcNumbers.decimal(word);
        if (v < 0) {
            throw new ProcParseException(file, lineNo, line, "bad limit '" + word + "'");
        }
        return v;
    }
}
