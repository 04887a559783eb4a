package io.tcphealth.agent.loop;

import io.tcphealth.agent.scan.NodeScan;
import io.tcphealth.agent.scan.NodeScanner;
import io.tcphealth.agent.scan.ScanScope;
import java.io.IOException;
import java.time.Duration;
import java.util.Set;

/** Takes one scan of the node: the real {@code NodeScanner}, or prepared snapshots in tests. */
@FunctionalInterface
public interface ScanSource {
    NodeScan scan(ScanScope scope, Set<Integer> ports) throws IOException, InterruptedException;

    /**
     * The same, told the policy's IdleWithoutKeepalive threshold, so connections idle past it get their owners looked
     * up; a source of prepared scans has nothing to look up and ignores it.
     */
    default NodeScan scan(ScanScope scope, Set<Integer> ports, Duration idleWithoutKeepaliveAfter)
            throws IOException, InterruptedException {
        return scan(scope, ports);
    }

    /** The real scanner, with the threshold passed on. */
    static ScanSource of(NodeScanner scanner) {
        return new ScanSource() {
            @Override
            public NodeScan scan(ScanScope scope, Set<Integer> ports) throws IOException, InterruptedException {
                return scanner.scan(scope, ports);
            }

            @Override
            public NodeScan scan(ScanScope scope, Set<Integer> ports, Duration idleWithoutKeepaliveAfter)
                    throws IOException, InterruptedException {
                return scanner.scan(scope, ports, idleWithoutKeepaliveAfter);
            }
        };
    }
}
