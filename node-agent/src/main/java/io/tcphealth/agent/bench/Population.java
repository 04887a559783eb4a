package io.tcphealth.agent.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * Who holds the sockets of one benchmark population. {@code ss -tanp} and {@code netstat -tanp} cost very
 * different amounts depending on it (they read every fd of every process, then match), so the benchmark
 * measures the same socket count held in several ways.
 *
 * <p>Up to a few processes, each JVM helper holds both ends of its connections. From tens of processes on, small
 * shell processes hold the client ends ({@code exec {fd}<>/dev/tcp/...}, a few MiB each) and a few JVM acceptors
 * the server ends: hundreds of JVMs would not fit in memory.
 *
 * @param sockets   established sockets wanted (two per connection)
 * @param processes processes asked for: 1, a few, tens, hundreds
 * @param maxFds    the most fds one process may hold (its open-files limit, less some room)
 */
public record Population(int sockets, int processes, int maxFds) {
    /** From this many processes on, shells hold the client ends. */
    static final int SHELL_FROM = 30;

    public int connections() {
        return sockets / 2;
    }

    public boolean shells() {
        return processes >= SHELL_FROM;
    }

    /** Why this population cannot be made here, or null when it can. */
    public String impossible() {
        if (!shells() && (long) connections() * 2 > (long) maxFds * processes) {
            return processes + (processes == 1 ? " process" : " processes") + " cannot hold " + sockets
                    + " sockets here: " + "each may hold at most " + maxFds + " fds (its open-files limit)";
        }
        if (shells() && connections() < processes) {
            return "fewer connections than processes";
        }
        return null;
    }

    /** Connections per JVM that holds both ends. */
    public List<Integer> bothEndsHolders() {
        List<Integer> per = new ArrayList<>();
        if (shells()) {
            return per;
        }
        for (int i = 0; i < processes; i++) {
            per.add(connections() / processes + (i < connections() % processes ? 1 : 0));
        }
        return per;
    }

    /** Server ends per JVM acceptor, when shells hold the client ends. */
    public List<Integer> acceptors() {
        List<Integer> per = new ArrayList<>();
        if (!shells()) {
            return per;
        }
        int count = (connections() + maxFds - 1) / maxFds;
        for (int i = 0; i < count; i++) {
            per.add(connections() / count + (i < connections() % count ? 1 : 0));
        }
        return per;
    }

    /** Client ends per shell. */
    public List<Integer> shellClients() {
        List<Integer> per = new ArrayList<>();
        if (!shells()) {
            return per;
        }
        for (int i = 0; i < processes; i++) {
            per.add(connections() / processes + (i < connections() % processes ? 1 : 0));
        }
        return per;
    }

    /** Every process that holds sockets of this population. */
    public int holders() {
        return shells() ? processes + acceptors().size() : processes;
    }

    public String describe() {
        if (shells()) {
            return processes + " shells + " + acceptors().size() + " JVM"
                    + (acceptors().size() == 1 ? "" : "s");
        }
        return processes + (processes == 1 ? " process" : " processes");
    }
}
