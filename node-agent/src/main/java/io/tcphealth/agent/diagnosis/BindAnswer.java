package io.tcphealth.agent.diagnosis;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * What {@code bind()} would do for the listener {@code diagnose --bind} names, in one network namespace.
 *
 * @param netns    "host" or "netns:[inode]"
 * @param address  the address and port, IPv6 in brackets
 * @param family   "IPv4", "IPv6 only" or "IPv6 and IPv4"
 * @param options  the socket options the listener sets, as asked
 * @param verdict  {@code binds}, {@code addressInUse} (bind() fails with EADDRINUSE) or {@code unknown} (what
 *                 would decide it cannot be read: see {@code unknown})
 * @param reason   the verdict in words
 * @param blocking the sockets that make bind() fail
 * @param unknown  for each socket that might, the fact that is missing
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record BindAnswer(
        String netns,
        String address,
        String family,
        String options,
        Verdict verdict,
        String reason,
        List<String> blocking,
        List<String> unknown) {

    public enum Verdict {
        binds,
        addressInUse,
        unknown
    }
}
