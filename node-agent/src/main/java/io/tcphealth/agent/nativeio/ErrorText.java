package io.tcphealth.agent.nativeio;

import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;

/**
 * What went wrong, for a person: the file and the operating system's reason ("no such file or directory"),
 * never a Java exception class name. {@code java.nio} puts only the path in the message of its file exceptions
 * and the reason in the class name, so the reason is spelled out here.
 */
public final class ErrorText {
    private ErrorText() {}

    public static String of(Throwable t) {
        Throwable e = t;
        while ((e instanceof UncheckedIOException || e.getClass() == RuntimeException.class) && e.getCause() != null) {
            e = e.getCause();
        }
        if (e instanceof FileSystemException f) {
            return file(f);
        }
        // A bug's own message ("Cannot invoke ... because ... is null") speaks of the code, not of the host.
        if (e instanceof NullPointerException
                || e instanceof ClassCastException
                || e instanceof IndexOutOfBoundsException
                || e instanceof ArithmeticException) {
            return "internal error (" + readable(e.getClass().getSimpleName())
                    + "): a bug in tcphealth, worth reporting with " + "the command line that met it";
        }
        String message = e.getMessage();
        if (message == null || message.isBlank()) {
            return "unexpected failure (" + readable(e.getClass().getSimpleName()) + ")";
        }
        return message;
    }

    private static String file(FileSystemException f) {
        String reason = switch (f) {
            case NoSuchFileException n -> "no such file or directory";
            case AccessDeniedException a -> "permission denied";
            case NotDirectoryException n -> "not a directory";
            case FileAlreadyExistsException x -> "file exists";
            case DirectoryNotEmptyException d -> "directory not empty";
            default -> f.getReason() == null ? "cannot be used" : f.getReason();
        };
        StringBuilder b = new StringBuilder();
        if (f.getFile() != null) {
            b.append(f.getFile());
        }
        if (f.getOtherFile() != null) {
            b.append(" -> ").append(f.getOtherFile());
        }
        return (b.isEmpty() ? "" : b + ": ") + reason;
    }

    /** {@code NumberFormatException} becomes "number format": a last resort when a failure carries no message. */
    private static String readable(String simpleName) {
        String words = simpleName.replaceAll("(Exception|Error)$", "").replaceAll("([a-z])([A-Z])", "$1 $2");
        return words.toLowerCase(java.util.Locale.ROOT).trim();
    }
}
