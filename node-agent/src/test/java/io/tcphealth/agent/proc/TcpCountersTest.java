package io.tcphealth.agent.proc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class TcpCountersTest {
    private static final String SNMP = """
            Ip: Forwarding DefaultTTL
            Ip: 1 64
            Tcp: RtoAlgorithm RtoMin RtoMax MaxConn ActiveOpens PassiveOpens AttemptFails EstabResets CurrEstab InSegs OutSegs RetransSegs InErrs OutRsts InCsumErrors
            Tcp: 1 200 120000 -1 10 9 3 2 4 100 90 7 0 5 0
            """;
    private static final String NETSTAT = """
            TcpExt: SyncookiesSent ListenOverflows ListenDrops TCPTimeWaitOverflow TCPMemoryPressures
            TcpExt: 0 12 14 1 0
            IpExt: InNoRoutes
            IpExt: 0
            """;

    @Test
    void readsBothTablesWithSignedValues() throws Exception {
        Map<String, Long> t = NetStatTables.parse("snmp", SNMP);
        assertThat(t)
                .containsEntry("Tcp.MaxConn", -1L)
                .containsEntry("Tcp.RetransSegs", 7L)
                .containsEntry("Ip.DefaultTTL", 64L);
        TcpCounters c = TcpCounters.of(Map.of("TcpExt.ListenOverflows", 12L, "Tcp.RetransSegs", 7L));
        assertThat(c.value(TcpCounter.LISTEN_OVERFLOWS)).isEqualTo(12);
        assertThat(c.values()).doesNotContainKey(TcpCounter.ABORT_ON_MEMORY);
    }

    @Test
    void riseNeedsTwoReadingsOfTheSameNamespace() throws Exception {
        Map<String, Long> all = new java.util.HashMap<>(NetStatTables.parse("snmp", SNMP));
        all.putAll(NetStatTables.parse("netstat", NETSTAT));
        TcpCounters first = TcpCounters.of(all);
        assertThat(first.sincePrevious()).isNull();
        assertThat(first.rise(TcpCounter.LISTEN_OVERFLOWS)).isZero();

        all.put("TcpExt.ListenOverflows", 20L);
        TcpCounters second = TcpCounters.of(all).since(first, 30);
        assertThat(second.rise(TcpCounter.LISTEN_OVERFLOWS)).isEqualTo(8);
        assertThat(second.rise(TcpCounter.LISTEN_DROPS)).isZero();
        assertThat(second.seconds()).isEqualTo(30);

        all.put("TcpExt.ListenOverflows", 3L);
        assertThat(TcpCounters.of(all).since(second, 30).sincePrevious())
                .as("a counter going down is another namespace")
                .isNull();
    }

    @Test
    void malformedTablesNameTheFileAndLine() {
        assertThatThrownBy(() -> NetStatTables.parse("/proc/net/netstat", "TcpExt: A B\nTcpExt: 1\n"))
                .isInstanceOf(ProcParseException.class)
                .hasMessageContaining("/proc/net/netstat")
                .hasMessageContaining("2");
        assertThatThrownBy(() -> NetStatTables.parse("/proc/net/netstat", "TcpExt: A B\n"))
                .isInstanceOf(ProcParseException.class)
                .hasMessageContaining("without a value line");
        assertThatThrownBy(() -> NetStatTables.parse("/proc/net/snmp", "Tcp: A\nTcp: x\n"))
                .isInstanceOf(ProcParseException.class)
                .hasMessageContaining("not an integer");
    }
}
