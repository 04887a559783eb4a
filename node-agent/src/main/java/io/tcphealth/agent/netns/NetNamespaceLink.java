package io.tcphealth.agent.netns;

import java.io.IOException;
import java.nio.file.Path;

/** The text of a {@code /proc/<pid>/ns/net} link: {@code net:[4026531840]}. */
final class NetNamespaceLink {
    private static final String PREFIX = "net:[";

    private NetNamespaceLink() {}

    /** @throws IOException naming {@code where} and the raw text when it is not a network namespace link */
    static long inode(String text, Path where) throws IOException {
        if (text.length() > PREFIX.length() + 1
                && text.length() <= PREFIX.length() + 21
                && text.startsWith(PREFIX)
                && text.endsWith("]")) {
            try {
                return Long.parseUnsignedLong(text.substring(PREFIX.length(), text.length() - 1));
            } catch (NumberFormatException e) {
                // reported below with the raw text
            }
        }
        throw new IOException(where + " points to \"" + text + "\", not to a network namespace (net:[inode])");
    }
}
