package io.tcphealth.agent.netns;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * The names {@code ip netns} gives network namespaces: each is a file in {@code /run/netns} onto which the
 * namespace is bind-mounted, so the file's inode is the namespace's own (the one /proc/PID/ns/net points to).
 */
public final class NetnsNames {
    /** Where {@code ip netns add NAME} mounts them ({@code /var/run} is a link to {@code /run} on current systems). */
    public static final Path RUN_NETNS = Path.of("/run/netns");

    private NetnsNames() {}

    /** Namespace inode to name; empty when the directory is missing or unreadable (names are a nicety). */
    public static Map<Long, String> read(Path dir) {
        Map<Long, String> names = new HashMap<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path file : files) {
                try {
                    Object inode = Files.getAttribute(file, "unix:ino");
                    names.putIfAbsent((Long) inode, file.getFileName().toString());
                } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
                    // a name whose mount went away, or a file that is not one: no name for it
                }
            }
        } catch (IOException e) {
            return Map.of();
        }
        return names;
    }
}
