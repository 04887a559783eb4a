package io.tcphealth.agent.bench;

import java.util.List;
import java.util.Optional;

/**
 * Everything one benchmark run measured, as printed in the table and written as JSON.
 *
 * @param setup           what was measured on
 * @param figures         timings, medians over the rounds
 * @param ratios          how the agent compares with {@code ss} and with its own cold scan
 * @param extraNamespaces what each idle extra namespace adds to a scan; null when none were made
 * @param ownerCache      what the owner cache did in the last unchanged re-scan
 * @param memory          resident memory of the agent
 */
public record BenchResult(
        Setup setup,
        List<Figure> figures,
        Ratios ratios,
        ExtraNamespaces extraNamespaces,
        OwnerCacheUse ownerCache,
        Memory memory) {

    public Optional<Figure> figure(String key) {
        return figures.stream().filter(f -> f.key().equals(key)).findFirst();
    }

    /**
     * @param sockets         TCP sockets in the benchmark namespace
     * @param nodeSockets     TCP sockets allocated on the whole node (sockstat's alloc)
     * @param processes       processes on the node during the run (every one's fds are walked)
     * @param helperProcesses processes holding the connections
     * @param namespaces      the network namespaces the benchmark made (removed when it ends)
     * @param cpus            processors available to this JVM
     * @param loadBefore      1-minute load average before the run: other work on the machine
     * @param loadAfter       1-minute load average after the run
     */
    public record Setup(
            int connections,
            int closeWait,
            int finWait1,
            int extraNamespaces,
            int rounds,
            int sockets,
            long nodeSockets,
            int processes,
            int helperProcesses,
            List<String> namespaces,
            int cpus,
            String kernel,
            String java,
            List<String> jvmFlags,
            double loadBefore,
            double loadAfter) {}

    /**
     * @param fullWarmVsSsTanp  how many times faster a warm full scan is than {@code ss -tanp}
     * @param fullColdVsSsTanp  the same for a cold full scan
     * @param listVsSsTan       how many times faster listing every socket is than {@code ss -tan}
     * @param rescanOfCold      an unchanged re-scan's time as a fraction of a cold full scan
     */
    public record Ratios(double fullWarmVsSsTanp, double fullColdVsSsTanp, double listVsSsTan, double rescanOfCold) {}

    /**
     * @param count                      idle namespaces scanned per round
     * @param millisPerNamespace         median time one of them adds (socket dump, sockstat, sysctls)
     * @param millisPerThousandSockets   the same per 1,000 sockets on the node: the kernel walks the
     *                                   shared socket table for every namespace's dump, so the
     *                                   node's sockets count, not the namespace's
     */
    public record ExtraNamespaces(int count, double millisPerNamespace, double millisPerThousandSockets) {}

    public record OwnerCacheUse(int processesRead, int processesReused, long fdsRead, boolean fullRead) {}

    /**
     * @param peakRssKiB          this process's peak RSS at the end of the run (VmHWM)
     * @param coldScanPeakRssKiB  a fresh agent's peak RSS after one full scan (median over the rounds)
     * @param rssAfterScansKiB    this process's RSS after consecutive scans of the same namespace
     */
    public record Memory(long peakRssKiB, long coldScanPeakRssKiB, List<RssAfter> rssAfterScansKiB) {}

    public record RssAfter(int scans, long rssKiB) {}
}
