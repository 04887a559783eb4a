package io.tcphealth.agent.journal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.zip.CRC32;

/**
 * The journal's line format: eight hex digits of the CRC-32 of the JSON text, a space, the JSON text of a
 * {@link JournalEntry}, a newline. Decoding checks everything a line must be, and raises
 * {@link JournalCorruptException} for the first thing it is not.
 */
final class JournalLines {
    private final ObjectMapper json = new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    /** The line for {@code e}, newline included. */
    String encode(JournalEntry e) throws IOException {
        String text = json.writeValueAsString(e);
        return crc(text) + " " + text + "\n";
    }

    /**
     * The record on one line (without its newline) of {@code file}; it must follow record {@code lastSeq}.
     *
     * @throws JournalCorruptException when the line is not one tcphealth wrote there
     */
    JournalEntry decode(Path file, String line, int lineNo, long lastSeq) throws JournalCorruptException {
        if (line.length() < 10 || line.charAt(8) != ' ') {
            throw new JournalCorruptException(file, lineNo, "not '<crc32> <json>': " + abbreviate(line));
        }
        String text = line.substring(9);
        if (!line.substring(0, 8).equals(crc(text))) {
            throw new JournalCorruptException(
                    file,
                    lineNo,
                    "checksum " + line.substring(0, 8) + " does not match its content " + abbreviate(text));
        }
        JournalEntry e;
        try {
            e = json.readValue(text, JournalEntry.class);
        } catch (JsonProcessingException ex) {
            throw new JournalCorruptException(file, lineNo, "unreadable record: " + ex.getOriginalMessage());
        }
        if (e.type() == null || !JournalEntry.TYPES.contains(e.type())) {
            throw new JournalCorruptException(file, lineNo, "unknown record type " + e.type());
        }
        if (e.seq() != lastSeq + 1) {
            throw new JournalCorruptException(file, lineNo, "record " + e.seq() + " follows record " + lastSeq);
        }
        return e;
    }

    static String crc(String text) {
        CRC32 crc = new CRC32();
        crc.update(text.getBytes(StandardCharsets.UTF_8));
        return HexFormat.of().toHexDigits((int) crc.getValue());
    }

    private static String abbreviate(String s) {
        return s.length() > 80 ? s.substring(0, 80) + "..." : s;
    }
}
