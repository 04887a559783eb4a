package io.tcphealth.agent.nativeio;

/**
 * Linux errno numbers as text. The table is our own rather than {@code strerror}, so messages are
 * the same on every libc and decoding netlink errors stays pure Java.
 */
public final class Errno {
    public static final int EPERM = 1;
    public static final int ENOENT = 2;
    public static final int ESRCH = 3;
    public static final int EINTR = 4;
    public static final int ENXIO = 6;
    public static final int EBADF = 9;
    public static final int EAGAIN = 11;
    public static final int EACCES = 13;
    public static final int EINVAL = 22;
    public static final int EOPNOTSUPP = 95;

    private static final String[][] KNOWN = {
        {"1", "EPERM", "Operation not permitted"},
        {"2", "ENOENT", "No such file or directory"},
        {"3", "ESRCH", "No such process"},
        {"4", "EINTR", "Interrupted system call"},
        {"5", "EIO", "Input/output error"},
        {"6", "ENXIO", "No such device or address"},
        {"9", "EBADF", "Bad file descriptor"},
        {"11", "EAGAIN", "Resource temporarily unavailable"},
        {"12", "ENOMEM", "Cannot allocate memory"},
        {"13", "EACCES", "Permission denied"},
        {"14", "EFAULT", "Bad address"},
        {"16", "EBUSY", "Device or resource busy"},
        {"17", "EEXIST", "File exists"},
        {"19", "ENODEV", "No such device"},
        {"20", "ENOTDIR", "Not a directory"},
        {"22", "EINVAL", "Invalid argument"},
        {"23", "ENFILE", "Too many open files in system"},
        {"24", "EMFILE", "Too many open files"},
        {"38", "ENOSYS", "Function not implemented"},
        {"71", "EPROTO", "Protocol error"},
        {"88", "ENOTSOCK", "Socket operation on non-socket"},
        {"90", "EMSGSIZE", "Message too long"},
        {"93", "EPROTONOSUPPORT", "Protocol not supported"},
        {"95", "EOPNOTSUPP", "Operation not supported"},
        {"97", "EAFNOSUPPORT", "Address family not supported by protocol"},
        {"103", "ECONNABORTED", "Software caused connection abort"},
        {"104", "ECONNRESET", "Connection reset by peer"},
        {"105", "ENOBUFS", "No buffer space available"},
        {"110", "ETIMEDOUT", "Connection timed out"},
    };

    private Errno() {}

    /** "EACCES (Permission denied)", or "errno 200" for a number not in the table. */
    public static String describe(int errno) {
        for (String[] row : KNOWN) {
            if (Integer.parseInt(row[0]) == errno) {
                return row[1] + " (" + row[2] + ")";
            }
        }
        return "errno " + errno;
    }
}
