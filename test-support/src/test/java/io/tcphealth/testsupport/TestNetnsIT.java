package io.tcphealth.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The test kit itself: states made in a private namespace are what {@code ss} sees, and nothing is left behind. */
class TestNetnsIT {

    @Test
    void makesCloseWaitInAPrivateNamespaceAndRemovesEverything() throws Exception {
        Path path;
        TestNetns.Helper helper;
        try (TestNetns ns = TestNetns.create()) {
            path = ns.path();
            assertThat(ns.inode())
                    .isNotEqualTo(((Number) Files.getAttribute(Path.of("/proc/self/ns/net"), "unix:ino")).longValue());
            helper = ns.socklab("closewait", "127.0.0.1", 9080, 3);
            assertThat(SsOutput.countByState(ns.ss())).containsEntry("CLOSE-WAIT", 3L);
            assertThat(ns.ss("state", "close-wait")).hasSize(3);
            assertThat(ProcessHandle.of(helper.pid())).isPresent();
        }
        assertThat(Files.exists(path)).isFalse();
        assertThat(helper.process().isAlive()).isFalse();
    }
}
