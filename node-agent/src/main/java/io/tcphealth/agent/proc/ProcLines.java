package io.tcphealth.agent.proc;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Streams the lines of a large procfs table ({@code /proc/net/tcp} holds one 150-byte line per
 * socket: 15 MB at 100k sockets) without holding the whole file, in large reads, with a cap on the
 * length of a line. Bytes are taken as Latin-1: the tables are ASCII, and garbage then fails the
 * parser instead of the decoder.
 */
public final class ProcLines implements Closeable {
    private static final int CHUNK = 64 * 1024;

    private final String file;
    private final InputStream in;
    private final int maxLineLength;
    private final byte[] buf = new byte[CHUNK];
    private int pos;
    private int end;
    private boolean eof;
    private byte[] line = new byte[256];
    private int lineNumber;

    private ProcLines(String file, InputStream in, int maxLineLength) {
        this.file = file;
        this.in = in;
        this.maxLineLength = maxLineLength;
    }

    public static ProcLines open(Path file, int maxLineLength) throws IOException {
        return new ProcLines(file.toString(), Files.newInputStream(ProcFs.requireRegular(file)), maxLineLength);
    }

    /** Reads from any stream; {@code file} names it in errors. */
    public static ProcLines of(String file, InputStream in, int maxLineLength) {
        return new ProcLines(file, in, maxLineLength);
    }

    /**
     * The next line without its newline, or null at the end. A last line without a newline is
     * still returned.
     *
     * @throws ProcParseException for a line longer than the cap
     */
    public String next() throws IOException {
        int len = 0;
        while (true) {
            if (pos == end) {
                if (eof || !fill()) {
                    if (len == 0) {
                        return null;
                    }
                    break;
                }
            }
            byte b = buf[pos++];
            if (b == '\n') {
                break;
            }
            if (len == maxLineLength) {
                lineNumber++;
                throw new ProcParseException(
                        file,
                        lineNumber,
                        new String(line, 0, len, StandardCharsets.ISO_8859_1),
                        "line longer than " + maxLineLength + " characters");
            }
            if (len == line.length) {
                line = Arrays.copyOf(line, Math.min(line.length * 2, maxLineLength));
            }
            line[len++] = b;
        }
        lineNumber++;
        return new String(line, 0, len, StandardCharsets.ISO_8859_1);
    }

    /** 1-based number of the line {@link #next()} returned last. */
    public int lineNumber() {
        return lineNumber;
    }

    public String file() {
        return file;
    }

    private boolean fill() throws IOException {
        int n = in.read(buf, 0, buf.length);
        if (n <= 0) {
            eof = true;
            return false;
        }
        pos = 0;
        end = n;
        return true;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
