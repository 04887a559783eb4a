package io.tcphealth.agent.cli;

public final class TcpHealthCli {
    public static void main(String[] args) {
        System.out.println("tcphealth");
    }
}
