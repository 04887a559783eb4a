package io.tcphealth.agent.proc;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SysctlReaderTest {
    @TempDir
    Path root;

    private void write(SysctlKey key, String value) throws Exception {
        Path file = key.resolve(root);
        Files.createDirectories(file.getParent());
        Files.writeString(file, value);
    }

    @Test
    void readsEveryTcpSysctl() throws Exception {
        write(SysctlKey.TCP_MAX_ORPHANS, "131072\n");
        write(SysctlKey.TCP_KEEPALIVE_TIME, "7200\n");
        write(SysctlKey.TCP_KEEPALIVE_INTVL, "75\n");
        write(SysctlKey.TCP_KEEPALIVE_PROBES, "9\n");
        write(SysctlKey.TCP_FIN_TIMEOUT, "60\n");
        write(SysctlKey.TCP_ORPHAN_RETRIES, "0\n");
        ScanProblems problems = new ScanProblems();
        assertThat(new SysctlReader(root).tcpSysctls(problems)).isEqualTo(new TcpSysctls(131072, 7200, 75, 9, 60, 0));
        assertThat(problems.isEmpty()).isTrue();
    }

    @Test
    void unreadableValuesAreMinusOneWithTheProblemRecorded() throws Exception {
        write(SysctlKey.TCP_MAX_ORPHANS, "4096\n");
        write(SysctlKey.TCP_KEEPALIVE_TIME, "garbage\n");
        write(SysctlKey.TCP_KEEPALIVE_INTVL, "9".repeat(5000));
        write(SysctlKey.TCP_KEEPALIVE_PROBES, "99999999999999999999\n");
        write(SysctlKey.TCP_FIN_TIMEOUT, "30\n");
        ScanProblems problems = new ScanProblems();
        TcpSysctls s = new SysctlReader(root).tcpSysctls(problems);
        assertThat(s).isEqualTo(new TcpSysctls(4096, -1, -1, -1, 30, -1));
        assertThat(problems.count()).isEqualTo(4);
        assertThat(problems.malformed()).isEqualTo(3);
        assertThat(problems.messages())
                .anySatisfy(m -> assertThat(m)
                        .contains("net/ipv4/tcp_keepalive_time")
                        .contains("not an integer")
                        .contains("garbage"));
        assertThat(problems.messages())
                .anySatisfy(m ->
                        assertThat(m).contains("net/ipv4/tcp_orphan_retries").contains("does not exist"));
    }

    @Test
    void hostWideKeyMissingInsideAPodNamespaceIsNotAProblem() throws Exception {
        for (SysctlKey k : SysctlKey.values()) {
            if (k.perNetns()) {
                write(k, "1\n");
            }
        }
        ScanProblems problems = new ScanProblems();
        assertThat(new SysctlReader(root).tcpSysctls(problems).maxOrphans()).isEqualTo(-1);
        assertThat(problems.isEmpty()).isTrue();
    }

    @Test
    void negativeValues() throws Exception {
        write(SysctlKey.TCP_RETRIES2, "-1\n");
        assertThat(new SysctlReader(root).read(SysctlKey.TCP_RETRIES2)).isEqualTo(-1);
    }

    @Test
    void keysMapNamesPathsAndPolicyFields() {
        assertThat(SysctlKey.TCP_KEEPALIVE_TIME.relativePath()).isEqualTo("net/ipv4/tcp_keepalive_time");
        assertThat(SysctlKey.TCP_KEEPALIVE_TIME.policyField()).isEqualTo("tcpKeepaliveTime");
        assertThat(SysctlKey.TCP_MAX_ORPHANS.policyField()).isEqualTo("tcpMaxOrphans");
        assertThat(SysctlKey.TCP_MAX_ORPHANS.perNetns()).isFalse();
        assertThat(SysctlKey.TCP_FIN_TIMEOUT.perNetns()).isTrue();
        assertThat(SysctlKey.fromDottedName("net.ipv4.tcp_fin_timeout")).isEqualTo(SysctlKey.TCP_FIN_TIMEOUT);
        assertThat(SysctlKey.fromDottedName("net/ipv4/tcp_orphan_retries")).isEqualTo(SysctlKey.TCP_ORPHAN_RETRIES);
        assertThat(SysctlKey.TCP_MAX_ORPHANS.resolve(Path.of("/proc/sys")))
                .isEqualTo(Path.of("/proc/sys/net/ipv4/tcp_max_orphans"));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> SysctlKey.fromDottedName("kernel.panic"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
