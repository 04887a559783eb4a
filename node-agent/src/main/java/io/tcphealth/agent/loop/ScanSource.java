package io.tcphealth.agent.loop;

import io.tcphealth.agent.scan.NodeScan;
import io.tcphealth.agent.scan.ScanScope;
import java.io.IOException;
import java.util.Set;

/** Takes one scan of the node: the real {@code NodeScanner}, or prepared snapshots in tests. */
@FunctionalInterface
public interface ScanSource {
    NodeScan scan(ScanScope scope, Set<Integer> ports) throws IOException, InterruptedException;
}
