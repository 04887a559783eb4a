package io.tcphealth.agent.bench;

import io.tcphealth.agent.diagnosis.Diagnoser;
import io.tcphealth.agent.diagnosis.DiagnosisSettings;
import io.tcphealth.agent.diagnosis.DiagnosisThresholds;
import io.tcphealth.agent.diagnosis.Finding;
import io.tcphealth.agent.diagnosis.SocketAges;
import io.tcphealth.agent.nativeio.Libc;
import io.tcphealth.agent.netns.HostNetns;
import io.tcphealth.agent.netns.NamespaceDiscovery;
import io.tcphealth.agent.netns.NamespaceExecutor;
import io.tcphealth.agent.proc.ProcFs;
import io.tcphealth.agent.scan.NodeScan;
import io.tcphealth.agent.scan.NodeScanner;
import io.tcphealth.agent.scan.OwnerAttribution;
import io.tcphealth.agent.scan.ScanScope;
import io.tcphealth.agent.socket.netlink.NetlinkSocketSource;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Set;

/**
 * What the agent does every interval, as one unit to time: scan a namespace as the host's (every
 * socket in every state with queues, sockstat, sysctls, the process table with zombies, the owners
 * of the sockets worth attributing) and diagnose it into findings.
 */
public final class FullScan {
    private final NodeScanner scanner;
    private final SocketAges ages = new SocketAges();
    private final Diagnoser diagnoser = new Diagnoser();
    private final DiagnosisSettings settings = new DiagnosisSettings(DiagnosisThresholds.DEFAULTS, List.of());

    public FullScan(NodeScanner scanner) {
        this.scanner = scanner;
    }

    /** A scanner that takes the namespace behind {@code namespaceFile} for the host's. */
    public static NodeScanner scannerOf(Path namespaceFile, OwnerAttribution attribution) {
        Libc libc = new Libc();
        ProcFs procFs = ProcFs.host();
        return new NodeScanner(
                procFs,
                new NamespaceDiscovery(procFs.root(), new HostNetns.AtPath(namespaceFile)),
                null,
                new NamespaceExecutor(libc),
                new NetlinkSocketSource(libc),
                Clock.systemUTC(),
                attribution);
    }

    public NodeScanner scanner() {
        return scanner;
    }

    /** One scan and its diagnosis. */
    public Outcome run() throws IOException, InterruptedException {
        NodeScan scan = scanner.scan(ScanScope.HOST, Set.of());
        ages.observe(scan);
        List<Finding> findings = diagnoser.diagnose(scan, ages, settings);
        return new Outcome(scan, findings);
    }

    public record Outcome(NodeScan scan, List<Finding> findings) {}
}
