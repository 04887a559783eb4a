package io.tcphealth.agent.proc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class SockStatTest {

    @Test
    void readsTheTcpLine() throws Exception {
        String text = "sockets: used 13\nTCP: inuse 7 orphan 2 tw 3 alloc 12 mem 105\nUDP: inuse 0 mem 0\n";
        assertThat(SockStat.parse("sockstat", text)).isEqualTo(new SockStat(7, 2, 3, 12, 105));
    }

    @Test
    void readsARealFileThroughProcFs() throws Exception {
        Path dir = Path.of(SockStatTest.class.getResource("/proc/sockstat").toURI());
        ProcFs fs = new ProcFs(dir);
        SockStat s = SockStat.parse("host.txt", fs.read(fs.path("host.txt")));
        assertThat(s.inUse()).isGreaterThanOrEqualTo(0);
        assertThat(s.memPages()).isGreaterThanOrEqualTo(0);
    }

    @Test
    void missingKeysOrBadValuesAreErrorsNotZeros() {
        assertThatThrownBy(() -> SockStat.parse("s", "TCP: inuse 7 orphan 2 tw 3 alloc 12\n"))
                .isInstanceOf(ProcParseException.class)
                .hasMessageContaining("line 1")
                .hasMessageContaining("needs inuse");
        assertThatThrownBy(() -> SockStat.parse("s", "TCP: inuse -7 orphan 2 tw 3 alloc 12 mem 1\n"))
                .hasMessageContaining("bad value for inuse");
        assertThatThrownBy(() -> SockStat.parse("s", "TCP: inuse 7 orphan\n")).hasMessageContaining("pairs");
        assertThatThrownBy(() -> SockStat.parse("s", "UDP: inuse 0 mem 0\n")).hasMessageContaining("no TCP: line");
    }
}
