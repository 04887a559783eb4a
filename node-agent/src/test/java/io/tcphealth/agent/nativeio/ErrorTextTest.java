package io.tcphealth.agent.nativeio;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ErrorTextTest {
    @TempDir
    Path dir;

    private static Throwable failure(ThrowingRunnable r) {
        try {
            r.run();
        } catch (Exception e) {
            return e;
        }
        throw new AssertionError("did not fail");
    }

    interface ThrowingRunnable {
        void run() throws Exception;
    }

    @Test
    void aMissingFileNamesThePathAndTheOperatingSystemsReason() {
        Path missing = dir.resolve("nope.yaml");
        String text = ErrorText.of(failure(() -> Files.readAllBytes(missing)));
        assertThat(text).isEqualTo(missing + ": no such file or directory");
    }

    @Test
    void otherFileFailuresKeepTheKernelsWordsWithoutAClassName() throws IOException {
        Path file = Files.writeString(dir.resolve("plain"), "x");
        String text = ErrorText.of(failure(() -> Files.newDirectoryStream(file.resolve("sub"))));
        assertThat(text)
                .startsWith(file.resolve("sub").toString())
                .endsWith("not a directory")
                .doesNotContain("Exception");
        String wrapped = ErrorText.of(new UncheckedIOException(new java.nio.file.AccessDeniedException("/proc/1/fd")));
        assertThat(wrapped).isEqualTo("/proc/1/fd: permission denied");
    }

    @Test
    void aFailureWithoutAMessageIsStillWords() {
        assertThat(ErrorText.of(new IllegalStateException())).isEqualTo("unexpected failure (illegal state)");
        assertThat(ErrorText.of(
                        new NullPointerException("Cannot invoke \"Journal.file()\" because \"journal\" is null")))
                .startsWith("internal error (null pointer)")
                .doesNotContain("Journal")
                .doesNotContain("Cannot invoke");
    }
}
