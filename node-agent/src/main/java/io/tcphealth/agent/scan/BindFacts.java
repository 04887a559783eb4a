package io.tcphealth.agent.scan;

import io.tcphealth.agent.socket.SocketOptions;
import java.util.Map;

/**
 * What a scan read, beyond the socket table, to judge whether a new listener could bind a port of interest: the
 * options of the sockets on those ports that have an owner, and the names of the devices sockets there are bound to.
 *
 * @param options socket inode to the options read from one of its descriptors (or why they could not be)
 * @param devices network namespace inode to that namespace's interface names by index
 */
public record BindFacts(Map<Long, SocketOptions> options, Map<Long, Map<Integer, String>> devices) {
    public static final BindFacts NONE = new BindFacts(Map.of(), Map.of());

    public BindFacts {
        options = Map.copyOf(options);
        devices = Map.copyOf(devices);
    }

    /** The options read for this socket, or null when none were read (no owner, or not on a port of interest). */
    public SocketOptions optionsOf(long inode) {
        return inode == 0 ? null : options.get(inode);
    }

    /** The name of interface {@code index} in namespace {@code netns}, or null when unknown. */
    public String deviceName(long netns, int index) {
        Map<Integer, String> names = devices.get(netns);
        return names == null ? null : names.get(index);
    }
}
