package io.tcphealth.agent.socket;

/**
 * The options of an existing socket that decide whether a new one may bind beside it, as read from a
 * descriptor of it ({@code getsockopt} on a copy of its owner's descriptor): the kernel's {@code sk_reuse},
 * {@code sk_reuseport} and {@code sk_bound_dev_if}. sock_diag and /proc/net/tcp report none of them, except the
 * device's index.
 *
 * @param reuseAddr  SO_REUSEADDR; null when it could not be read
 * @param reusePort  SO_REUSEPORT; null when it could not be read
 * @param device     SO_BINDTODEVICE, the device's name, "" when the socket is bound to none; null when unread
 * @param unreadable why they could not be read (the descriptor could not be copied), or null
 */
public record SocketOptions(Boolean reuseAddr, Boolean reusePort, String device, String unreadable) {

    public static SocketOptions unreadable(String why) {
        return new SocketOptions(null, null, null, why);
    }

    public boolean known() {
        return unreadable == null;
    }
}
