package io.tcphealth.agent.diagnosis;

import io.tcphealth.agent.netns.NetNamespace;
import io.tcphealth.agent.socket.TcpSocket;
import io.tcphealth.agent.socket.TcpState;
import java.util.Collection;

/**
 * The {@code ss -K} command that destroys exactly a finding's sockets: their state and their port, on
 * the side of the connection the port is on, in their namespace. {@code ss -K 'sport = :9080'} alone
 * would abort every connection on the port, the healthy ESTABLISHED ones too.
 */
final class SsKillCommand {
    private SsKillCommand() {}

    /**
     * {@code ss -K state close-wait '( sport = :9080 )'}, prefixed with {@code nsenter --net=PATH} outside
     * the host's namespace; null when no socket matches (then nothing is to be suggested).
     */
    static String of(NetNamespace netns, TcpState state, int port, Collection<TcpSocket> sockets) {
        boolean local = false;
        boolean remote = false;
        for (TcpSocket s : sockets) {
            if (s.state() != state) {
                continue;
            }
            local |= s.localPort() == port;
            remote |= s.localPort() != port && s.remotePort() == port;
        }
        if (!local && !remote) {
            return null;
        }
        String filter = local && remote
                ? "( sport = :" + port + " or dport = :" + port + " )"
                : local ? "( sport = :" + port + " )" : "( dport = :" + port + " )";
        String prefix = netns == null || netns.host() ? "" : "nsenter --net=" + netns.path() + " ";
        return prefix + "ss -K state " + filterName(state) + " '" + filter + "'";
    }

    /** The name {@code ss}'s state filter takes: close-wait, fin-wait-1, established, ... */
    static String filterName(TcpState state) {
        return switch (state) {
            case ESTABLISHED -> "established";
            case SYN_RECV, NEW_SYN_RECV -> "syn-recv";
            case CLOSE -> "close";
            default -> state.ssName().toLowerCase(java.util.Locale.ROOT);
        };
    }
}
