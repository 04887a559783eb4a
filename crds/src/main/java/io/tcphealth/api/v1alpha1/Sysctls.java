package io.tcphealth.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import java.util.Objects;

/**
 * The allow-listed TCP sysctls. Field names are the kernel keys in camel case without the {@code net.ipv4.}
 * prefix; a null field means "leave the kernel's value alone". Bounds follow the kernel's own limits
 * ({@code MAX_TCP_KEEPIDLE}, {@code MAX_TCP_KEEPINTVL}, {@code MAX_TCP_KEEPCNT}, {@code TCP_FIN_TIMEOUT_MAX}).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class Sysctls {

    @JsonPropertyDescription("net.ipv4.tcp_keepalive_time: seconds a connection is idle before the first "
            + "keepalive probe (kernel default 7200; 1-32767). Per network namespace.")
    @Min(1)
    @Max(32767)
    private Integer tcpKeepaliveTime;

    @JsonPropertyDescription("net.ipv4.tcp_keepalive_intvl: seconds between keepalive probes (kernel default 75; "
            + "1-32767). Per network namespace.")
    @Min(1)
    @Max(32767)
    private Integer tcpKeepaliveIntvl;

    @JsonPropertyDescription("net.ipv4.tcp_keepalive_probes: unanswered probes before the connection is dropped "
            + "(kernel default 9; 1-127). Per network namespace.")
    @Min(1)
    @Max(127)
    private Integer tcpKeepaliveProbes;

    @JsonPropertyDescription("net.ipv4.tcp_fin_timeout: seconds an orphaned socket stays in FIN_WAIT2 "
            + "(kernel default 60; 1-120). Per network namespace.")
    @Min(1)
    @Max(120)
    private Integer tcpFinTimeout;

    @JsonPropertyDescription("net.ipv4.tcp_orphan_retries: retransmissions (and zero-window probes) before an "
            + "orphaned socket, e.g. one stuck in FIN_WAIT1, is killed; 0 means the kernel's 8 (0-15). "
            + "Per network namespace.")
    @Min(0)
    @Max(15)
    private Integer tcpOrphanRetries;

    @JsonPropertyDescription("net.ipv4.tcp_max_orphans: orphaned sockets the kernel keeps before it resets new "
            + "ones (1024-16777216). Global to the node, not per network namespace; the brief drop to 0 is "
            + "remediation.flushOrphans, not this setting.")
    @Min(1024)
    @Max(16777216)
    private Integer tcpMaxOrphans;

    @JsonPropertyDescription("net.ipv4.tcp_retries2: retransmissions of data before an established connection "
            + "is given up (kernel default 15, about 15 minutes; 3-15). Per network namespace.")
    @Min(3)
    @Max(15)
    private Integer tcpRetries2;

    public Integer getTcpKeepaliveTime() {
        return tcpKeepaliveTime;
    }

    public void setTcpKeepaliveTime(Integer tcpKeepaliveTime) {
        this.tcpKeepaliveTime = tcpKeepaliveTime;
    }

    public Integer getTcpKeepaliveIntvl() {
        return tcpKeepaliveIntvl;
    }

    public void setTcpKeepaliveIntvl(Integer tcpKeepaliveIntvl) {
        this.tcpKeepaliveIntvl = tcpKeepaliveIntvl;
    }

    public Integer getTcpKeepaliveProbes() {
        return tcpKeepaliveProbes;
    }

    public void setTcpKeepaliveProbes(Integer tcpKeepaliveProbes) {
        this.tcpKeepaliveProbes = tcpKeepaliveProbes;
    }

    public Integer getTcpFinTimeout() {
        return tcpFinTimeout;
    }

    public void setTcpFinTimeout(Integer tcpFinTimeout) {
        this.tcpFinTimeout = tcpFinTimeout;
    }

    public Integer getTcpOrphanRetries() {
        return tcpOrphanRetries;
    }

    public void setTcpOrphanRetries(Integer tcpOrphanRetries) {
        this.tcpOrphanRetries = tcpOrphanRetries;
    }

    public Integer getTcpMaxOrphans() {
        return tcpMaxOrphans;
    }

    public void setTcpMaxOrphans(Integer tcpMaxOrphans) {
        this.tcpMaxOrphans = tcpMaxOrphans;
    }

    public Integer getTcpRetries2() {
        return tcpRetries2;
    }

    public void setTcpRetries2(Integer tcpRetries2) {
        this.tcpRetries2 = tcpRetries2;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof Sysctls that)) {
            return false;
        }
        return Objects.equals(tcpKeepaliveTime, that.tcpKeepaliveTime)
                && Objects.equals(tcpKeepaliveIntvl, that.tcpKeepaliveIntvl)
                && Objects.equals(tcpKeepaliveProbes, that.tcpKeepaliveProbes)
                && Objects.equals(tcpFinTimeout, that.tcpFinTimeout)
                && Objects.equals(tcpOrphanRetries, that.tcpOrphanRetries)
                && Objects.equals(tcpMaxOrphans, that.tcpMaxOrphans)
                && Objects.equals(tcpRetries2, that.tcpRetries2);
    }

    @Override
    public int hashCode() {
        return Objects.hash(
                tcpKeepaliveTime,
                tcpKeepaliveIntvl,
                tcpKeepaliveProbes,
                tcpFinTimeout,
                tcpOrphanRetries,
                tcpMaxOrphans,
                tcpRetries2);
    }

    @Override
    public String toString() {
        return "Sysctls{"
                + "tcpKeepaliveTime=" + tcpKeepaliveTime
                + ", tcpKeepaliveIntvl=" + tcpKeepaliveIntvl
                + ", tcpKeepaliveProbes=" + tcpKeepaliveProbes
                + ", tcpFinTimeout=" + tcpFinTimeout
                + ", tcpOrphanRetries=" + tcpOrphanRetries
                + ", tcpMaxOrphans=" + tcpMaxOrphans
                + ", tcpRetries2=" + tcpRetries2
                + "}";
    }
}
