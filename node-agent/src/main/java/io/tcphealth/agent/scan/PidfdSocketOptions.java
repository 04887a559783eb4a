package io.tcphealth.agent.scan;

import io.tcphealth.agent.nativeio.ErrnoException;
import io.tcphealth.agent.nativeio.Libc;
import io.tcphealth.agent.proc.SocketOwner;
import io.tcphealth.agent.socket.SocketOptions;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Reads a socket's SO_REUSEADDR, SO_REUSEPORT and SO_BINDTODEVICE through a copy of its owner's descriptor:
 * {@code pidfd_open(2)} then {@code pidfd_getfd(2)} (Linux 5.6; it takes the right to ptrace the owner, which root
 * has), {@code getsockopt} on the copy, and the copy closed. The copy is the same open file, so nothing about the
 * owner's socket changes; the descriptor number comes from the /proc fd walk and may have been reused since, so
 * the copy is checked to be the same socket (its inode) before it is believed.
 */
public final class PidfdSocketOptions implements SocketOptionReader {
    private final Libc libc;
    private final InodeOfDescriptor inodes;

    /** How a copied descriptor's socket inode is told: {@code fstat} through /proc/self/fd. */
    public interface InodeOfDescriptor {
        long inode(int fd) throws java.io.IOException;
    }

    public PidfdSocketOptions(Libc libc) {
        this(libc, fd -> {
            String link = java.nio.file.Files.readSymbolicLink(java.nio.file.Path.of("/proc/self/fd/" + fd))
                    .toString();
            // socket:[12345]
            return link.startsWith("socket:[") && link.endsWith("]")
                    ? Long.parseLong(link.substring(8, link.length() - 1))
                    : -1;
        });
    }

    PidfdSocketOptions(Libc libc, InodeOfDescriptor inodes) {
        this.libc = libc;
        this.inodes = inodes;
    }

    /** Reads through the first owner that lets it; says why when none did. */
    @Override
    public SocketOptions read(long inode, List<SocketOwner> owners) {
        String why = "no process holds a descriptor of it";
        for (SocketOwner o : owners) {
            try {
                return readThrough(inode, o);
            } catch (ErrnoException | RuntimeException e) {
                why = "its descriptor " + o.fd() + " in pid " + o.pid() + " could not be copied (" + e.getMessage()
                        + ")";
            } catch (java.io.IOException e) {
                why = "pid " + o.pid() + "'s descriptor " + o.fd() + " could not be checked (" + e.getMessage() + ")";
            }
        }
        return SocketOptions.unreadable(why);
    }

    private SocketOptions readThrough(long inode, SocketOwner owner) throws java.io.IOException {
        int pidfd = libc.pidfdOpen(owner.pid());
        try {
            int copy = libc.pidfdGetfd(pidfd, owner.fd());
            try {
                if (inode != 0 && inodes.inode(copy) != inode) {
                    throw new java.io.IOException("it now refers to another file");
                }
                boolean reuseAddr = libc.getsockoptInt(copy, Libc.SOL_SOCKET, Libc.SO_REUSEADDR) != 0;
                boolean reusePort = libc.getsockoptInt(copy, Libc.SOL_SOCKET, Libc.SO_REUSEPORT) != 0;
                byte[] dev = libc.getsockopt(copy, Libc.SOL_SOCKET, Libc.SO_BINDTODEVICE, 16);
                int end = 0;
                while (end < dev.length && dev[end] != 0) {
                    end++;
                }
                return new SocketOptions(
                        reuseAddr, reusePort, new String(dev, 0, end, StandardCharsets.US_ASCII), null);
            } finally {
                libc.close(copy);
            }
        } finally {
            libc.close(pidfd);
        }
    }

    @Override
    public String deviceName(int index) {
        try {
            return libc.ifIndexToName(index);
        } catch (ErrnoException e) {
            return null;
        }
    }
}
