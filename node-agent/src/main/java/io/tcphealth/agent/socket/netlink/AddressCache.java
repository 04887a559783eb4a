package io.tcphealth.agent.socket.netlink;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Hands out one {@link InetAddress} per distinct address seen in a dump, so a node with 100k
 * sockets on a few local addresses does not create 100k equal address objects. Direct-mapped and
 * fixed in size: a collision simply replaces the older entry.
 */
final class AddressCache {
    private static final int SLOTS = 512;

    private final long[] high = new long[SLOTS];
    private final long[] low = new long[SLOTS];
    private final boolean[] ipv6 = new boolean[SLOTS];
    private final InetAddress[] values = new InetAddress[SLOTS];

    /** @param bits the address in network order, as read big-endian */
    InetAddress ipv4(int bits) {
        long lo = Integer.toUnsignedLong(bits);
        int slot = slot(0, lo);
        if (values[slot] != null && !ipv6[slot] && low[slot] == lo) {
            return values[slot];
        }
        byte[] raw = {(byte) (bits >>> 24), (byte) (bits >>> 16), (byte) (bits >>> 8), (byte) bits};
        return store(slot, false, 0, lo, create(raw, false));
    }

    /**
     * An {@link Inet6Address} even for IPv4-mapped addresses ({@code ::ffff:a.b.c.d}), which
     * {@link InetAddress#getByAddress(byte[])} would turn into IPv4 ones.
     *
     * @param hi the first 8 bytes, read big-endian
     * @param lo the last 8 bytes, read big-endian
     */
    InetAddress ipv6(long hi, long lo) {
        int slot = slot(hi, lo);
        if (values[slot] != null && ipv6[slot] && high[slot] == hi && low[slot] == lo) {
            return values[slot];
        }
        byte[] raw = new byte[16];
        for (int i = 0; i < 8; i++) {
            raw[i] = (byte) (hi >>> (56 - 8 * i));
            raw[8 + i] = (byte) (lo >>> (56 - 8 * i));
        }
        return store(slot, true, hi, lo, create(raw, true));
    }

    private InetAddress store(int slot, boolean v6, long hi, long lo, InetAddress address) {
        ipv6[slot] = v6;
        high[slot] = hi;
        low[slot] = lo;
        values[slot] = address;
        return address;
    }

    private static int slot(long hi, long lo) {
        long h = (hi * 0x9E3779B97F4A7C15L) ^ lo;
        h *= 0xC2B2AE3D27D4EB4FL;
        return (int) (h >>> 55) & (SLOTS - 1);
    }

    private static InetAddress create(byte[] raw, boolean v6) {
        try {
            return v6 ? Inet6Address.getByAddress(null, raw, -1) : InetAddress.getByAddress(raw);
        } catch (UnknownHostException e) {
            throw new IllegalStateException("Address of " + raw.length + " bytes rejected", e);
        }
    }
}
