package io.tcphealth.agent.proc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ProcLimitsTest {

    private static String fixture(String name) throws Exception {
        return Files.readString(
                Path.of(ProcLimitsTest.class.getResource("/proc/limits/" + name).toURI()));
    }

    @Test
    void readsSoftAndHardOpenFiles() throws Exception {
        assertThat(ProcLimits.parse("limits", fixture("root-20000.txt"))).isEqualTo(new ProcLimits(20000, 20000));
    }

    @Test
    void unlimitedIsMinusOne() throws Exception {
        assertThat(ProcLimits.parse("limits", fixture("unlimited.txt"))).isEqualTo(new ProcLimits(-1, -1));
    }

    @Test
    void mixedSoftAndHard() throws Exception {
        String text = "Limit                     Soft Limit           Hard Limit           Units     \n"
                + "Max open files            1024                 unlimited            files     \n";
        assertThat(ProcLimits.parse("limits", text)).isEqualTo(new ProcLimits(1024, -1));
    }

    @Test
    void malformedValuesNameTheLine() {
        String negative =
                "Limit  Soft Hard Units\nMax open files            -1                 1            files     \n";
        assertThatThrownBy(() -> ProcLimits.parse("/proc/7/limits", negative))
                .isInstanceOf(ProcParseException.class)
                .hasMessageContaining("/proc/7/limits line 2")
                .hasMessageContaining("bad limit '-1'");
        assertThatThrownBy(() -> ProcLimits.parse("l", "Max open files   1024\n"))
                .hasMessageContaining("needs soft and hard");
        assertThatThrownBy(() -> ProcLimits.parse("l", "Max open files  99999999999999999999999 1\n"))
                .isInstanceOf(ProcParseException.class);
        assertThatThrownBy(() -> ProcLimits.parse("l", "")).hasMessageContaining("no \"Max open files\" line");
    }
}
