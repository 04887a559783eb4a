package io.tcphealth.agent.cli;

import picocli.CommandLine;

/** The version from the jar's manifest. */
final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
        String v = TcpHealthCli.class.getPackage().getImplementationVersion();
        return new String[] {"tcphealth " + (v == null ? "(development build)" : v)};
    }
}
