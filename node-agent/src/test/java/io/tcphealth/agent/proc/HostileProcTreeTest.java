package io.tcphealth.agent.proc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.tcphealth.agent.socket.TcpSocket;
import io.tcphealth.agent.socket.TcpState;
import io.tcphealth.agent.socket.proc.ProcNetTcpParser;
import io.tcphealth.agent.socket.proc.ProcNetTcpSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A proc tree that is not what the kernel makes: FIFOs where files should be (opening one blocks
 * until a writer comes) and a net/tcp line that does not parse. Neither may hang or abort a scan.
 */
class HostileProcTreeTest {
    /** A guard against a hang only: what is checked is that the read returns at all. */
    private static final Duration HANG = Duration.ofSeconds(20);

    @TempDir
    Path root;

    private void fifo(String relative) throws Exception {
        Path p = root.resolve(relative);
        Files.createDirectories(p.getParent());
        Files.deleteIfExists(p);
        Process mk = new ProcessBuilder("mkfifo", p.toString()).inheritIO().start();
        assertThat(mk.waitFor()).isZero();
    }

    @Test
    void aFifoInPlaceOfAProcFileIsRefusedUnopenedAndTheScanGoesOn() throws Exception {
        FakeProcTree tree = new FakeProcTree(root)
                .process(1, "init", 'S', 0)
                .process(100, "app", 'S', 1)
                .process(200, "other", 'S', 1);
        fifo("100/stat");
        fifo("200/cgroup");
        ScanProblems problems = new ScanProblems();

        ProcessTable table =
                assertTimeoutPreemptively(HANG, () -> new ProcessTableReader(tree.procFs()).read(problems));

        assertThat(table.find(1)).isPresent();
        assertThat(table.find(100))
                .as("its stat is a FIFO: nothing can be known of it")
                .isEmpty();
        assertThat(table.find(200)).isPresent();
        assertThat(problems.toString()).contains("100/stat").contains("not a regular file");
        assertThatThrownBy(() -> tree.procFs().read(root.resolve("100/stat"), 4096))
                .isInstanceOf(ProcFs.NotRegularFileException.class);
    }

    @Test
    void aFifoInPlaceOfNetTcpIsRefusedUnopened() throws Exception {
        new FakeProcTree(root).process(1, "init", 'S', 0);
        fifo("1/net/tcp");
        ProcNetTcpSource source = ProcNetTcpSource.forProcess(new ProcFs(root), 1);

        assertThatThrownBy(() -> assertTimeoutPreemptively(HANG, () -> source.sockets(TcpState.all())))
                .isInstanceOf(ProcFs.NotRegularFileException.class)
                .hasMessageContaining("net/tcp");
    }

    @Test
    void aMalformedNetTcpLineIsSkippedAndCountedAndTheRestIsRead() throws Exception {
        String header =
                "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n";
        String good =
                "   0: 0100007F:2382 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 4242 1 0000000000000000 100 0 0 10 0\n";
        String bad =
                "   1: 0100007F:ZZZZ 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 4243 1\n";
        String alsoGood =
                "   2: 0100007F:1F90 0100007F:9C40 08 00000000:00000010 00:00000000 00000000     0        0 4244 1 0000000000000000 20 4 0 10 -1\n";
        new FakeProcTree(root).process(1, "init", 'S', 0).file("1/net/tcp", header + good + bad + alsoGood);
        ProcNetTcpSource source = ProcNetTcpSource.forProcess(new ProcFs(root), 1);

        List<TcpSocket> sockets = source.sockets(TcpState.all());

        assertThat(sockets).extracting(TcpSocket::inode).containsExactly(4242L, 4244L);
        assertThat(source.skippedLines()).isEqualTo(1);
        assertThatThrownBy(() -> ProcNetTcpParser.nativeOrder()
                        .parse(ProcLines.open(root.resolve("1/net/tcp"), 4096), TcpState.all()))
                .isInstanceOf(ProcParseException.class)
                .hasMessageContaining("line 3");
    }
}
