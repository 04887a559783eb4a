package io.tcphealth.agent.proc;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Socket inode → the processes holding it. Several owners are normal: a listener inherited across
 * {@code fork}, a socket passed over a unix socket, {@code dup}ed fds. An immutable snapshot built
 * by {@link SocketOwners} or, in tests, from a map.
 */
public final class SocketOwnerIndex {
    private final Map<Long, List<SocketOwner>> byInode;

    private SocketOwnerIndex(Map<Long, List<SocketOwner>> byInode) {
        this.byInode = byInode;
    }

    public static SocketOwnerIndex of(Map<Long, List<SocketOwner>> byInode) {
        Map<Long, List<SocketOwner>> copy = new HashMap<>(byInode.size() * 2);
        byInode.forEach((inode, owners) -> copy.put(inode, List.copyOf(owners)));
        return new SocketOwnerIndex(Collections.unmodifiableMap(copy));
    }

    /** Owners of a socket, by ascending pid then fd; empty for inode 0 and unknown inodes. */
    public List<SocketOwner> ownersOf(long inode) {
        return byInode.getOrDefault(inode, List.of());
    }

    /** The socket inodes some process holds. */
    public Set<Long> inodes() {
        return byInode.keySet();
    }

    /** Number of distinct socket inodes. */
    public int size() {
        return byInode.size();
    }

    /** Accumulates owners during a walk; not thread-safe. */
    static final class Builder {
        private final Map<Long, List<SocketOwner>> byInode = new HashMap<>();

        void add(long inode, int pid, int fd) {
            List<SocketOwner> owners = byInode.computeIfAbsent(inode, k -> new ArrayList<>(1));
            SocketOwner owner = new SocketOwner(pid, fd);
            if (!owners.contains(owner)) {
                owners.add(owner);
            }
        }

        /** Every pid holding one of the sockets added so far. */
        Set<Integer> holders() {
            Set<Integer> pids = new HashSet<>();
            byInode.values().forEach(owners -> owners.forEach(o -> pids.add(o.pid())));
            return pids;
        }

        boolean has(long inode) {
            return byInode.containsKey(inode);
        }

        SocketOwnerIndex build() {
            for (List<SocketOwner> owners : byInode.values()) {
                owners.sort((a, b) ->
                        a.pid() != b.pid() ? Integer.compare(a.pid(), b.pid()) : Integer.compare(a.fd(), b.fd()));
            }
            return of(byInode);
        }
    }
}
