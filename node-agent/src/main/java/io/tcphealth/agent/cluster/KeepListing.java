package io.tcphealth.agent.cluster;

import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ExceptionHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.tcphealth.agent.nativeio.ErrorText;
import java.net.ConnectException;
import java.net.http.HttpTimeoutException;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * An informer that never gives up. By default a fabric8 informer whose very first list fails (the API server not
 * reachable yet, a token whose permissions are not bound yet, a timeout on a loaded server) stops for good, and an
 * agent would scan on with defaults and never learn its TcpHealthNode until its pod restarts. With this handler it
 * keeps listing, with the informer's own backoff, and says so once for each different reason.
 */
final class KeepListing implements ExceptionHandler {
    private final String what;
    private final Consumer<String> log;
    private String lastReason;

    KeepListing(String what, Consumer<String> log) {
        this.what = what;
        this.log = log;
    }

    /** Makes {@code informer} retry after every failure, before and after it first synced. */
    static <T> SharedIndexInformer<T> on(SharedIndexInformer<T> informer, String what, Consumer<String> log) {
        return informer.exceptionHandler(new KeepListing(what, log));
    }

    @Override
    public synchronized boolean retryAfterException(boolean started, Throwable failure) {
        String reason = reason(failure);
        if (!reason.equals(lastReason)) {
            lastReason = reason;
            log.accept("Listing " + what + " failed (" + reason + "); trying again");
        }
        return true;
    }

    /** The API server's answer when there is one, else the network's reason, in words rather than class names. */
    static String reason(Throwable failure) {
        Throwable deepest = failure;
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof KubernetesClientException k && k.getCode() > 0) {
                return k.getMessage();
            }
            deepest = t;
        }
        if (deepest instanceof ConnectException) {
            return "connection refused";
        }
        if (deepest instanceof HttpTimeoutException || deepest instanceof TimeoutException) {
            return "timed out";
        }
        return ErrorText.of(deepest);
    }
}
