package io.tcphealth.agent.report;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.tcphealth.agent.diagnosis.BindAnswer;
import io.tcphealth.agent.diagnosis.Finding;
import java.util.List;

/**
 * What {@code diagnose} reports about a node; {@code bind} is there with {@code --bind}. The fields shared with a {@code TcpHealthNode}
 * status carry the same names there ({@code lastScan}, {@code states}, {@code orphans},
 * {@code zombies}, {@code findings}, {@code findingsTruncated}, {@code sysctls}), so one schema
 * serves both.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({
    "node",
    "lastScan",
    "states",
    "orphans",
    "zombies",
    "findings",
    "findingsTruncated",
    "sysctls",
    "namespaces",
    "bind",
    "problems"
})
public record NodeReport(
        String node,
        LastScan lastScan,
        SocketStateCounts states,
        Orphans orphans,
        Zombies zombies,
        List<Finding> findings,
        int findingsTruncated,
        List<SysctlValue> sysctls,
        List<NamespaceSummary> namespaces,
        List<String> problems,
        List<BindAnswer> bind) {

    /** A report that answers no {@code --bind} question. */
    public NodeReport(
            String node,
            LastScan lastScan,
            SocketStateCounts states,
            Orphans orphans,
            Zombies zombies,
            List<Finding> findings,
            int findingsTruncated,
            List<SysctlValue> sysctls,
            List<NamespaceSummary> namespaces,
            List<String> problems) {
        this(
                node,
                lastScan,
                states,
                orphans,
                zombies,
                findings,
                findingsTruncated,
                sysctls,
                namespaces,
                problems,
                null);
    }

    /** The same report with the answer to {@code diagnose --bind}, one per namespace. */
    public NodeReport withBind(List<BindAnswer> answers) {
        return new NodeReport(
                node,
                lastScan,
                states,
                orphans,
                zombies,
                findings,
                findingsTruncated,
                sysctls,
                namespaces,
                problems,
                answers == null || answers.isEmpty() ? null : List.copyOf(answers));
    }

    /**
     * @param time           when the scan started (RFC 3339)
     * @param durationMillis how long it took
     * @param namespaces     network namespaces scanned
     * @param sockets        sockets seen in them
     * @param source         {@code netlink} or {@code proc}
     */
    public record LastScan(String time, long durationMillis, int namespaces, long sockets, String source) {}

    /**
     * Host-wide orphans against {@code tcp_max_orphans}.
     *
     * @param ratio count / max, or null when max is unknown or 0
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Orphans(long count, long max, Double ratio) {}

    /** @param parents how many distinct parents the zombies have */
    public record Zombies(int count, int parents) {}

    /** An observed TCP sysctl. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record SysctlValue(String name, String netns, Long observed) {}

    /**
     * One network namespace.
     *
     * @param netns           "host" or "netns:[inode]"
     * @param inode           its inode
     * @param pids            how many processes live in it
     * @param example         one process in it ("pid comm"), to recognise it by
     * @param sockets         its sockets
     * @param orphanedSockets sockets no process holds (not counting TIME_WAIT)
     * @param states          its sockets by state
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record NamespaceSummary(
            String netns,
            long inode,
            int pids,
            String example,
            long sockets,
            long orphanedSockets,
            SocketStateCounts states) {}
}
