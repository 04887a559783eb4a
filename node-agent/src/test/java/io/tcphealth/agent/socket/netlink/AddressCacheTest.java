package io.tcphealth.agent.socket.netlink;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import org.junit.jupiter.api.Test;

class AddressCacheTest {

    @Test
    void sameAddressSameObjectAndIpv4NeverConfusedWithIpv6() throws Exception {
        AddressCache cache = new AddressCache();
        InetAddress a = cache.ipv4(0x01020304);
        assertThat(cache.ipv4(0x01020304)).isSameAs(a);
        assertThat(a).isInstanceOf(Inet4Address.class).isEqualTo(InetAddress.getByName("1.2.3.4"));

        InetAddress compat = cache.ipv6(0, 0x01020304L);
        assertThat(compat).isInstanceOf(Inet6Address.class);
        assertThat(compat.getAddress()).hasSize(16);
        assertThat(cache.ipv4(0x01020304)).isInstanceOf(Inet4Address.class);
    }

    @Test
    void everyAddressComesBackRightAcrossCollisions() throws Exception {
        AddressCache cache = new AddressCache();
        for (int round = 0; round < 2; round++) {
            for (int i = 0; i < 5000; i++) {
                int bits = 0x0a000000 + i * 7;
                assertThat(cache.ipv4(bits).getAddress())
                        .containsExactly((byte) (bits >>> 24), (byte) (bits >>> 16), (byte) (bits >>> 8), (byte) bits);
                assertThat(cache.ipv6(0x20010db8L << 32, i).getAddress()[15]).isEqualTo((byte) i);
            }
        }
    }
}
