package io.tcphealth.agent.scan;

import io.tcphealth.agent.nativeio.Libc;
import io.tcphealth.agent.netns.HostNetns;
import io.tcphealth.agent.netns.NamespaceDiscovery;
import io.tcphealth.agent.netns.NamespaceExecutor;
import io.tcphealth.agent.proc.ProcFs;
import io.tcphealth.agent.socket.netlink.NetlinkSocketSource;
import io.tcphealth.testsupport.TestNetns;
import java.nio.file.Path;
import java.time.Clock;

/** Scanners of the real /proc and kernel that take a test's namespace as the host's, for the owner walk's ITs. */
final class RealScanners {
    private static final Path PROC = Path.of("/proc");

    private RealScanners() {}

    static NodeScanner scanner(TestNetns ns, OwnerAttribution attribution) {
        Libc libc = new Libc();
        return new NodeScanner(
                new ProcFs(PROC),
                new NamespaceDiscovery(PROC, new HostNetns.AtPath(ns.path())),
                null,
                new NamespaceExecutor(libc),
                new NetlinkSocketSource(libc),
                Clock.systemUTC(),
                attribution);
    }

    /** How many processes are above this one, PID 1 included: the relatives a walk reads once a holder is found. */
    static int ancestors(int pid) {
        int n = 0;
        for (var p = ProcessHandle.of(pid).flatMap(ProcessHandle::parent);
                p.isPresent();
                p = p.get().parent()) {
            n++;
        }
        return n;
    }
}
