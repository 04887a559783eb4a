/*
 * socklab: makes real TCP and process states for tcphealth's kernel tests.
 *
 * Each mode sets up its state, prints "ready" (plus details) on stdout and then waits to be killed,
 * so the sockets and processes it made stay exactly as they are while a test looks at them.
 *
 *   socklab closewait ADDR PORT COUNT [UNREAD_BYTES]
 *       COUNT connections to a listener on ADDR:PORT; the client side closes, the accepted side is
 *       never closed (CLOSE_WAIT). With UNREAD_BYTES, each client first sends that many bytes,
 *       which the owner never reads (Recv-Q > 0).
 *   socklab closewait-watch ADDR PORT COUNT
 *       Like closewait, then watches the CLOSE_WAIT sockets it owns: when one gets a pending error
 *       (SO_ERROR), such as after SOCK_DESTROY, it prints "error PEER_PORT ERRNAME" once for it.
 *   socklab finwait1 ADDR PORT COUNT [server]
 *       COUNT connections whose receiver never reads (SO_RCVBUF 4096); the sender fills the window
 *       with non-blocking writes and closes: its FIN is stuck behind unsent data, so the sender
 *       side sits orphaned in FIN_WAIT1 with the persist timer running. The sender is the client,
 *       or with "server" the accepted side, so the FIN_WAIT1 sockets sit on ADDR:PORT itself.
 *   socklab timewait ADDR PORT COUNT
 *       A listener on ADDR:PORT that stays open, plus COUNT connections the server side closed
 *       first, leaving TIME_WAIT sockets on the listener's port.
 *   socklab listen ADDR PORT
 *       One listener.
 *   socklab zombies COUNT [reap]
 *       COUNT children that exit at once and are never waited for (state Z). With "reap", the
 *       process reaps them when it later receives SIGCHLD from outside.
 *   socklab deadleader ADDR PORT
 *       A listener on ADDR:PORT; then the main thread exits with pthread_exit while a second
 *       thread lives on: the thread-group leader is a zombie whose live thread still holds the
 *       socket.
 *   socklab established ADDR PORT COUNT [CLOSE_WAIT]
 *       COUNT idle ESTABLISHED connections (both ends in this process) plus the listener; with
 *       CLOSE_WAIT, that many more connections whose client side closed (CLOSE_WAIT on PORT).
 *   socklab portexhaust ADDR PORT
 *       A listener on ADDR:PORT, then connections to it until connect() fails with EADDRNOTAVAIL
 *       (the namespace's ip_local_port_range is used up); then a third of them are closed client
 *       first, so their ports sit in TIME_WAIT, and one more connect() must still fail.
 *   socklab backlog ADDR PORT BACKLOG
 *       A listener with listen(fd, BACKLOG) that never calls accept().
 *   socklab connect ADDR PORT COUNT
 *       COUNT non-blocking connects to ADDR:PORT, left as they are.
 *   socklab stall ADDR PORT
 *       One ESTABLISHED connection; after a line arrives on stdin, the client writes 1000 bytes
 *       (a test drops them on the way, so the client retransmits).
 *   socklab zerowindow ADDR PORT
 *       One connection whose receiver (SO_RCVBUF 4096) never reads; the sender fills the window
 *       with non-blocking writes and stays open, probing the zero window with its persist timer.
 *       With "split", the receiver and the sender are separate processes (the sender a child);
 *       the line after "ready" gives the sender's pid.
 *   socklab sink ADDR PORT
 *       A listener (SO_RCVBUF 4096) that accepts one connection and never reads it.
 *   socklab fill ADDR PORT
 *       Connects to ADDR:PORT and fills the window with non-blocking writes, then stays open: with a
 *       sink at the other end, its persist timer probes the zero window.
 *   socklab bound ADDR PORT
 *       One socket bound to ADDR:PORT that neither listens nor connects.
 *   socklab trylisten ADDR PORT
 *       Tries bind() then listen() on ADDR:PORT, prints "listen ok" or "listen ERRNAME at bind|listen"
 *       and exits: what a new listener on that address would meet.
 *   socklab shared ADDR PORT COUNT
 *       Like closewait, then forks: parent and child both hold every CLOSE_WAIT socket (the listener
 *       is closed first). Prints "ready PID CHILD_PID".
 *   socklab trybatch
 *       Reads lines "OPTIONS ADDR PORT" from stdin until end-of-file; for each, a child process tries
 *       bind() then listen() as trylisten does and prints one result line. OPTIONS is "-" or a comma
 *       list of reuseaddr, reuseport, v6only, dev=NAME (SO_BINDTODEVICE) and uid=N (the child runs as
 *       that user, so its socket is owned by it); nothing is set that is not named.
 *
 * Leading options, before MODE: -n leaves SO_REUSEADDR off on every socket (listeners and bound
 * sockets set it otherwise); -6 sets IPV6_V6ONLY on IPv6 listeners and bound sockets; -c closes the
 * listener once timewait or established has made its connections (the port is then held by them alone);
 * -r sets SO_REUSEPORT on listeners and bound sockets; -d DEV binds them to device DEV; -u UID makes
 * the process run as user UID before it makes any socket.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

static int in_child = 0;

static void die(const char *what) {
    fprintf(stderr, "socklab: %s: %s\n", what, strerror(errno));
    /* A forked child must not run exit(): flushing the shared stdin would move the parent's read offset. */
    if (in_child) {
        fflush(stdout);
        _exit(2);
    }
    exit(2);
}

static socklen_t make_addr(const char *host, int port, struct sockaddr_storage *ss) {
    memset(ss, 0, sizeof(*ss));
    if (strchr(host, ':') != NULL) {
        struct sockaddr_in6 *a = (struct sockaddr_in6 *)ss;
        a->sin6_family = AF_INET6;
        a->sin6_port = htons(port);
        if (inet_pton(AF_INET6, host, &a->sin6_addr) != 1) die("inet_pton");
        return sizeof(*a);
    }
    struct sockaddr_in *a = (struct sockaddr_in *)ss;
    a->sin_family = AF_INET;
    a->sin_port = htons(port);
    if (inet_pton(AF_INET, host, &a->sin_addr) != 1) die("inet_pton");
    return sizeof(*a);
}

static int opt_reuseaddr = 1;
static int opt_v6only = 0;
static int opt_reuseport = 0;
static const char *opt_device = NULL;

static void bind_to_device(int fd, const char *dev) {
    if (dev != NULL && setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, dev, (socklen_t)strlen(dev)) < 0)
        die("SO_BINDTODEVICE");
}

/* -k: SO_KEEPALIVE on both ends of each connection mode_established makes (the kernel then runs a keepalive timer). */
static int opt_keepalive = 0;

static void keepalive(int fd) {
    int one = 1;
    if (opt_keepalive && setsockopt(fd, SOL_SOCKET, SO_KEEPALIVE, &one, sizeof(one)) < 0) die("SO_KEEPALIVE");
}

static int bound_socket(const char *host, int port, int rcvbuf) {
    struct sockaddr_storage ss;
    socklen_t len = make_addr(host, port, &ss);
    int fd = socket(ss.ss_family, SOCK_STREAM, 0);
    if (fd < 0) die("socket");
    int one = 1;
    if (opt_reuseaddr) setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
    if (opt_reuseport && setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &one, sizeof(one)) < 0) die("SO_REUSEPORT");
    bind_to_device(fd, opt_device);
    if (opt_v6only && ss.ss_family == AF_INET6 && setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one)) < 0)
        die("IPV6_V6ONLY");
    if (rcvbuf > 0 && setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof(rcvbuf)) < 0) die("SO_RCVBUF");
    if (bind(fd, (struct sockaddr *)&ss, len) < 0) die("bind");
    return fd;
}

static int listener(const char *host, int port, int rcvbuf) {
    int fd = bound_socket(host, port, rcvbuf);
    if (listen(fd, 4096) < 0) die("listen");
    return fd;
}

static int connect_to(const char *host, int port, int sndbuf) {
    struct sockaddr_storage ss;
    socklen_t len = make_addr(host, port, &ss);
    int fd = socket(ss.ss_family, SOCK_STREAM, 0);
    if (fd < 0) die("socket");
    if (sndbuf > 0 && setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &sndbuf, sizeof(sndbuf)) < 0) die("SO_SNDBUF");
    if (connect(fd, (struct sockaddr *)&ss, len) < 0) die("connect");
    return fd;
}

static void ready(void) {
    printf("ready %d\n", getpid());
    fflush(stdout);
}

static void wait_forever(void) {
    for (;;) pause();
}

static void write_all(int fd, size_t n) {
    char buf[4096];
    memset(buf, 'x', sizeof(buf));
    while (n > 0) {
        ssize_t w = write(fd, buf, n < sizeof(buf) ? n : sizeof(buf));
        if (w < 0) die("write");
        n -= (size_t)w;
    }
}

static int mode_closewait(const char *host, int port, int count, size_t unread) {
    int lfd = listener(host, port, 0);
    for (int i = 0; i < count; i++) {
        int c = connect_to(host, port, 0);
        int s = accept(lfd, NULL, NULL);
        if (s < 0) die("accept");
        if (unread > 0) write_all(c, unread);
        close(c);
        (void)s; /* kept open and never read: CLOSE_WAIT */
    }
    close(lfd);
    usleep(100 * 1000); /* let every FIN arrive before reporting ready */
    ready();
    wait_forever();
    return 0;
}

static const char *errname(int e) {
    switch (e) {
    case ECONNABORTED: return "ECONNABORTED";
    case ECONNRESET: return "ECONNRESET";
    case ETIMEDOUT: return "ETIMEDOUT";
    case EADDRINUSE: return "EADDRINUSE";
    case EADDRNOTAVAIL: return "EADDRNOTAVAIL";
    case EACCES: return "EACCES";
    default: return "OTHER";
    }
}

static int mode_closewait_watch(const char *host, int port, int count) {
    int lfd = listener(host, port, 0);
    int *fds = calloc((size_t)count, sizeof(int));
    int *peer = calloc((size_t)count, sizeof(int));
    if (fds == NULL || peer == NULL) die("calloc");
    for (int i = 0; i < count; i++) {
        int c = connect_to(host, port, 0);
        struct sockaddr_storage ss;
        socklen_t len = sizeof(ss);
        fds[i] = accept(lfd, (struct sockaddr *)&ss, &len);
        if (fds[i] < 0) die("accept");
        peer[i] = ntohs(ss.ss_family == AF_INET6 ? ((struct sockaddr_in6 *)&ss)->sin6_port
                                                  : ((struct sockaddr_in *)&ss)->sin_port);
        close(c);
    }
    close(lfd);
    usleep(100 * 1000);
    ready();
    for (;;) {
        for (int i = 0; i < count; i++) {
            if (fds[i] < 0) continue;
            int err = 0;
            socklen_t elen = sizeof(err);
            if (getsockopt(fds[i], SOL_SOCKET, SO_ERROR, &err, &elen) < 0) die("getsockopt");
            if (err != 0) {
                printf("error %d %s\n", peer[i], errname(err));
                fflush(stdout);
                fds[i] = -1; /* reported once; the descriptor stays open like the leak it models */
            }
        }
        usleep(20 * 1000);
    }
    return 0;
}

static void fill_and_close(int fd) {
    int sndbuf = 4096;
    if (setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &sndbuf, sizeof(sndbuf)) < 0) die("SO_SNDBUF");
    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
    char buf[4096];
    memset(buf, 'y', sizeof(buf));
    for (;;) {
        ssize_t w = write(fd, buf, sizeof(buf));
        if (w < 0) {
            if (errno == EAGAIN || errno == EWOULDBLOCK) break;
            die("write");
        }
    }
    close(fd); /* the FIN queues behind unsent data: FIN_WAIT1, orphaned */
}

static int mode_finwait1(const char *host, int port, int count, int server_sends) {
    int lfd = listener(host, port, server_sends ? 0 : 4096);
    for (int i = 0; i < count; i++) {
        struct sockaddr_storage ss;
        socklen_t len = make_addr(host, port, &ss);
        int c = socket(ss.ss_family, SOCK_STREAM, 0);
        if (c < 0) die("socket");
        if (server_sends) {
            int rcvbuf = 4096;
            if (setsockopt(c, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof(rcvbuf)) < 0) die("SO_RCVBUF");
        }
        if (connect(c, (struct sockaddr *)&ss, len) < 0) die("connect");
        int s = accept(lfd, NULL, NULL);
        if (s < 0) die("accept");
        /* The receiving end stays open and never reads. */
        fill_and_close(server_sends ? s : c);
    }
    if (server_sends) close(lfd); /* like a service that stopped: only the stuck sockets keep the port */
    usleep(100 * 1000);
    ready();
    wait_forever();
    return 0;
}

static int opt_close_listener = 0;

static int mode_timewait(const char *host, int port, int count) {
    int lfd = listener(host, port, 0);
    for (int i = 0; i < count; i++) {
        int c = connect_to(host, port, 0);
        int s = accept(lfd, NULL, NULL);
        if (s < 0) die("accept");
        close(s); /* the server closes first, so TIME_WAIT lands on the listener's port */
        char b;
        if (read(c, &b, 1) < 0) die("read");
        close(c);
    }
    if (opt_close_listener) close(lfd);
    usleep(100 * 1000);
    ready();
    wait_forever();
    return 0;
}

static int mode_established(const char *host, int port, int count, int close_wait) {
    int lfd = listener(host, port, 0);
    for (int i = 0; i < count; i++) {
        keepalive(connect_to(host, port, 0));
        int s = accept(lfd, NULL, NULL);
        if (s < 0) die("accept");
        keepalive(s);
    }
    for (int i = 0; i < close_wait; i++) {
        int c = connect_to(host, port, 0);
        if (accept(lfd, NULL, NULL) < 0) die("accept");
        close(c);
    }
    if (opt_close_listener) close(lfd);
    ready();
    wait_forever();
    return 0;
}

static volatile sig_atomic_t reap_armed = 0;

static void on_sigchld(int sig) {
    (void)sig;
    if (!reap_armed) return;
    int saved = errno;
    while (waitpid(-1, NULL, WNOHANG) > 0) {
    }
    errno = saved;
}

static int mode_zombies(int count, int reap) {
    if (reap) {
        struct sigaction sa;
        memset(&sa, 0, sizeof(sa));
        sa.sa_handler = on_sigchld;
        sa.sa_flags = SA_RESTART;
        if (sigaction(SIGCHLD, &sa, NULL) < 0) die("sigaction");
    }
    int gate[2];
    if (pipe(gate) < 0) die("pipe");
    for (int i = 0; i < count; i++) {
        pid_t p = fork();
        if (p < 0) die("fork");
        if (p == 0) _exit(0); /* exiting closes this child's copy of the pipe's write end */
    }
    close(gate[1]);
    char b;
    while (read(gate[0], &b, 1) > 0) {
    }
    close(gate[0]); /* end-of-file: every child has exited, and none was waited for */
    usleep(50 * 1000);
    reap_armed = 1; /* from now on only a SIGCHLD sent from outside makes it reap */
    ready();
    wait_forever();
    return 0;
}

static int mode_trylisten(const char *host, int port) {
    struct sockaddr_storage ss;
    socklen_t len = make_addr(host, port, &ss);
    int fd = socket(ss.ss_family, SOCK_STREAM, 0);
    if (fd < 0) die("socket");
    int one = 1;
    if (opt_reuseaddr) setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
    if (opt_v6only && ss.ss_family == AF_INET6) setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one));
    if (bind(fd, (struct sockaddr *)&ss, len) < 0) {
        printf("listen %s at bind\n", errname(errno));
    } else if (listen(fd, 16) < 0) {
        printf("listen %s at listen\n", errname(errno));
    } else {
        printf("listen ok\n");
    }
    fflush(stdout);
    close(fd);
    return 0;
}

static void run_as(uid_t uid) {
    if (setresgid(uid, uid, uid) < 0 || setresuid(uid, uid, uid) < 0) die("setresuid");
}

/* One attempt of trybatch, in a child process so a uid= option changes nobody else. */
static void try_one(char *options, const char *host, int port) {
    int reuseaddr = 0, reuseport = 0, v6only = 0;
    const char *dev = NULL;
    long uid = -1;
    if (strcmp(options, "-") != 0) {
        for (char *o = strtok(options, ","); o != NULL; o = strtok(NULL, ",")) {
            if (strcmp(o, "reuseaddr") == 0) reuseaddr = 1;
            else if (strcmp(o, "reuseport") == 0) reuseport = 1;
            else if (strcmp(o, "v6only") == 0) v6only = 1;
            else if (strncmp(o, "dev=", 4) == 0) dev = o + 4;
            else if (strncmp(o, "uid=", 4) == 0) uid = atol(o + 4);
            else {
                printf("listen BADOPTION %s\n", o);
                return;
            }
        }
    }
    if (uid >= 0) run_as((uid_t)uid);
    struct sockaddr_storage ss;
    socklen_t len = make_addr(host, port, &ss);
    int fd = socket(ss.ss_family, SOCK_STREAM, 0);
    if (fd < 0) die("socket");
    int one = 1;
    if (reuseaddr && setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) < 0) die("SO_REUSEADDR");
    if (reuseport && setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &one, sizeof(one)) < 0) die("SO_REUSEPORT");
    if (ss.ss_family == AF_INET6 && setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &v6only, sizeof(v6only)) < 0)
        die("IPV6_V6ONLY");
    bind_to_device(fd, dev);
    if (bind(fd, (struct sockaddr *)&ss, len) < 0) {
        printf("listen %s at bind\n", errname(errno));
    } else if (listen(fd, 16) < 0) {
        printf("listen %s at listen\n", errname(errno));
    } else {
        printf("listen ok\n");
    }
    close(fd);
}

static int mode_trybatch(void) {
    char line[512];
    while (fgets(line, sizeof(line), stdin) != NULL) {
        char options[256], host[128];
        int port;
        if (sscanf(line, "%255s %127s %d", options, host, &port) != 3) {
            printf("listen BADLINE\n");
            fflush(stdout);
            continue;
        }
        fflush(stdout);
        pid_t child = fork();
        if (child < 0) die("fork");
        if (child == 0) {
            in_child = 1;
            try_one(options, host, port);
            fflush(stdout);
            _exit(0);
        }
        int status;
        if (waitpid(child, &status, 0) < 0) die("waitpid");
        if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
            printf("listen CHILDFAILED\n");
            fflush(stdout);
        }
    }
    return 0;
}

static int mode_shared(const char *host, int port, int count) {
    int lfd = listener(host, port, 0);
    for (int i = 0; i < count; i++) {
        int c = connect_to(host, port, 0);
        int s = accept(lfd, NULL, NULL);
        if (s < 0) die("accept");
        close(c);
        (void)s;
    }
    close(lfd);
    pid_t child = fork();
    if (child < 0) die("fork");
    if (child == 0) {
        wait_forever();
    }
    printf("ready %d %d\n", getpid(), (int)child);
    fflush(stdout);
    wait_forever();
    return 0;
}

static void *live_thread(void *arg) {
    (void)arg;
    wait_forever();
    return NULL;
}

static int mode_deadleader(const char *host, int port) {
    listener(host, port, 0);
    pthread_t t;
    if (pthread_create(&t, NULL, live_thread, NULL) != 0) die("pthread_create");
    ready();
    pthread_exit(NULL); /* the leader becomes a zombie; the other thread keeps the fds */
    return 0;
}

static int mode_portexhaust(const char *host, int port) {
    int lfd = listener(host, port, 0);
    int cap = 70000, n = 0;
    int *clients = calloc(cap, sizeof(int)), *servers = calloc(cap, sizeof(int));
    if (clients == NULL || servers == NULL) die("calloc");
    struct sockaddr_storage ss;
    socklen_t len = make_addr(host, port, &ss);
    for (;;) {
        int c = socket(ss.ss_family, SOCK_STREAM, 0);
        if (c < 0) die("socket");
        if (connect(c, (struct sockaddr *)&ss, len) < 0) {
            if (errno != EADDRNOTAVAIL) die("connect");
            close(c);
            break;
        }
        int s = accept(lfd, NULL, NULL);
        if (s < 0) die("accept");
        if (n == cap) die("more connections than expected");
        clients[n] = c;
        servers[n] = s;
        n++;
    }
    /* Client first: the client end goes to TIME_WAIT and keeps its local port for 60 s. */
    for (int i = 0; i < n / 3; i++) {
        close(clients[i]);
        close(servers[i]);
    }
    usleep(100 * 1000);
    int c = socket(ss.ss_family, SOCK_STREAM, 0);
    if (connect(c, (struct sockaddr *)&ss, len) == 0 || errno != EADDRNOTAVAIL) {
        fprintf(stderr, "socklab: connect after closing succeeded or failed otherwise: %s\n", strerror(errno));
        exit(2);
    }
    close(c);
    ready();
    printf("connections %d\n", n);
    fflush(stdout);
    wait_forever();
    return 0;
}

static int mode_backlog(const char *host, int port, int backlog) {
    struct sockaddr_storage ss;
    socklen_t len = make_addr(host, port, &ss);
    int fd = socket(ss.ss_family, SOCK_STREAM, 0);
    if (fd < 0) die("socket");
    if (bind(fd, (struct sockaddr *)&ss, len) < 0) die("bind");
    if (listen(fd, backlog) < 0) die("listen");
    ready();
    wait_forever();
    return 0;
}

static int mode_connect(const char *host, int port, int count) {
    struct sockaddr_storage ss;
    socklen_t len = make_addr(host, port, &ss);
    for (int i = 0; i < count; i++) {
        int c = socket(ss.ss_family, SOCK_STREAM | SOCK_NONBLOCK, 0);
        if (c < 0) die("socket");
        if (connect(c, (struct sockaddr *)&ss, len) < 0 && errno != EINPROGRESS) die("connect");
    }
    usleep(200 * 1000);
    ready();
    wait_forever();
    return 0;
}

static int mode_stall(const char *host, int port) {
    int lfd = listener(host, port, 0);
    int c = connect_to(host, port, 0);
    if (accept(lfd, NULL, NULL) < 0) die("accept");
    ready();
    char line[16];
    if (fgets(line, sizeof(line), stdin) == NULL) die("stdin");
    write_all(c, 1000);
    wait_forever();
    return 0;
}

static void fill(int fd) {
    int sndbuf = 4096;
    if (setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &sndbuf, sizeof(sndbuf)) < 0) die("SO_SNDBUF");
    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
    char buf[4096];
    memset(buf, 'z', sizeof(buf));
    for (;;) {
        ssize_t w = write(fd, buf, sizeof(buf));
        if (w < 0) {
            if (errno == EAGAIN || errno == EWOULDBLOCK) break;
            die("write");
        }
    }
}

static int mode_zerowindow(const char *host, int port, int split) {
    int lfd = listener(host, port, 4096);
    if (!split) {
        int c = connect_to(host, port, 0);
        if (accept(lfd, NULL, NULL) < 0) die("accept");
        fill(c);
        usleep(100 * 1000);
        ready();
        wait_forever();
    }
    pid_t child = fork();
    if (child < 0) die("fork");
    if (child == 0) {
        close(lfd);
        int c = connect_to(host, port, 0);
        fill(c);
        wait_forever();
    }
    if (accept(lfd, NULL, NULL) < 0) die("accept");
    usleep(300 * 1000);
    ready();
    printf("sender %d\n", (int)child);
    fflush(stdout);
    wait_forever();
    return 0;
}

static int mode_sink(const char *host, int port) {
    int lfd = listener(host, port, 4096);
    ready();
    if (accept(lfd, NULL, NULL) < 0) die("accept");
    wait_forever();
    return 0;
}

static int mode_fill(const char *host, int port) {
    int c = connect_to(host, port, 0);
    fill(c);
    usleep(100 * 1000);
    ready();
    wait_forever();
    return 0;
}

int main(int argc, char **argv) {
    signal(SIGPIPE, SIG_IGN);
    if (argc < 2) {
        fprintf(stderr, "usage: socklab MODE ARGS...\n");
        return 2;
    }
    while (argc > 2 && argv[1][0] == '-') {
        if (strcmp(argv[1], "-n") == 0) opt_reuseaddr = 0;
        else if (strcmp(argv[1], "-6") == 0) opt_v6only = 1;
        else if (strcmp(argv[1], "-c") == 0) opt_close_listener = 1;
        else if (strcmp(argv[1], "-r") == 0) opt_reuseport = 1;
        else if (strcmp(argv[1], "-d") == 0 && argc > 3) {
            opt_device = argv[2];
            argv++;
            argc--;
        } else if (strcmp(argv[1], "-u") == 0 && argc > 3) {
            run_as((uid_t)atol(argv[2]));
            argv++;
            argc--;
        } else if (strcmp(argv[1], "-k") == 0) opt_keepalive = 1;
        else break;
        argv++;
        argc--;
    }
    const char *mode = argv[1];
    if (strcmp(mode, "closewait") == 0 && argc >= 5)
        return mode_closewait(argv[2], atoi(argv[3]), atoi(argv[4]), argc > 5 ? (size_t)atol(argv[5]) : 0);
    if (strcmp(mode, "closewait-watch") == 0 && argc >= 5)
        return mode_closewait_watch(argv[2], atoi(argv[3]), atoi(argv[4]));
    if (strcmp(mode, "finwait1") == 0 && argc >= 5)
        return mode_finwait1(argv[2], atoi(argv[3]), atoi(argv[4]), argc > 5 && strcmp(argv[5], "server") == 0);
    if (strcmp(mode, "timewait") == 0 && argc >= 5) return mode_timewait(argv[2], atoi(argv[3]), atoi(argv[4]));
    if (strcmp(mode, "established") == 0 && argc >= 5)
        return mode_established(argv[2], atoi(argv[3]), atoi(argv[4]), argc > 5 ? atoi(argv[5]) : 0);
    if (strcmp(mode, "listen") == 0 && argc >= 4) {
        listener(argv[2], atoi(argv[3]), 0);
        ready();
        wait_forever();
    }
    if (strcmp(mode, "bound") == 0 && argc >= 4) {
        bound_socket(argv[2], atoi(argv[3]), 0);
        ready();
        wait_forever();
    }
    if (strcmp(mode, "trylisten") == 0 && argc >= 4) return mode_trylisten(argv[2], atoi(argv[3]));
    if (strcmp(mode, "trybatch") == 0) return mode_trybatch();
    if (strcmp(mode, "shared") == 0 && argc >= 5) return mode_shared(argv[2], atoi(argv[3]), atoi(argv[4]));
    if (strcmp(mode, "zombies") == 0 && argc >= 3)
        return mode_zombies(atoi(argv[2]), argc > 3 && strcmp(argv[3], "reap") == 0);
    if (strcmp(mode, "deadleader") == 0 && argc >= 4) return mode_deadleader(argv[2], atoi(argv[3]));
    if (strcmp(mode, "portexhaust") == 0 && argc >= 4) return mode_portexhaust(argv[2], atoi(argv[3]));
    if (strcmp(mode, "backlog") == 0 && argc >= 5) return mode_backlog(argv[2], atoi(argv[3]), atoi(argv[4]));
    if (strcmp(mode, "connect") == 0 && argc >= 5) return mode_connect(argv[2], atoi(argv[3]), atoi(argv[4]));
    if (strcmp(mode, "stall") == 0 && argc >= 4) return mode_stall(argv[2], atoi(argv[3]));
    if (strcmp(mode, "sink") == 0 && argc >= 4) return mode_sink(argv[2], atoi(argv[3]));
    if (strcmp(mode, "fill") == 0 && argc >= 4) return mode_fill(argv[2], atoi(argv[3]));
    if (strcmp(mode, "zerowindow") == 0 && argc >= 4)
        return mode_zerowindow(argv[2], atoi(argv[3]), argc > 4 && strcmp(argv[4], "split") == 0);
    fprintf(stderr, "socklab: unknown mode or missing arguments: %s\n", mode);
    return 2;
}
