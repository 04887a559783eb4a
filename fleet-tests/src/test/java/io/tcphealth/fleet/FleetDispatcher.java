package io.tcphealth.fleet;

import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

/**
 * The CRUD mock API server with three additions the fleet tests need:
 * <ul>
 *   <li>an outage switch: while it is on, every request is answered 503, as an API server that is up but
 *       overloaded or cut off from etcd answers;</li>
 *   <li>a count of writes (POST, PUT, PATCH, DELETE) per client, told apart by their User-Agent header;</li>
 *   <li>{@code spec.nodeName} field selectors, which the mock cannot evaluate: dropped, and the agent's own
 *       node-name check does the filtering.</li>
 * </ul>
 */
final class FleetDispatcher extends KubernetesCrudDispatcher {
    private static final Pattern NODE_NAME = Pattern.compile("fieldSelector=spec\\.nodeName(%3D|=)[^&]*&?");
    private static final String UNAVAILABLE = """
            {"kind":"Status","apiVersion":"v1","status":"Failure","message":"the server is currently unable to handle the request","reason":"ServiceUnavailable","code":503}""";

    private volatile boolean down;
    private final Map<String, AtomicLong> writes = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> refused = new ConcurrentHashMap<>();

    FleetDispatcher() {
        super(List.of());
    }

    void down(boolean down) {
        this.down = down;
    }

    /** Writes that reached the store from clients whose User-Agent is {@code agent}. */
    long writes(String agent) {
        return writes.getOrDefault(agent, new AtomicLong()).get();
    }

    /** Requests of any kind answered 503 during an outage, by User-Agent. */
    long refused(String agent) {
        return refused.getOrDefault(agent, new AtomicLong()).get();
    }

    @Override
    public MockResponse dispatch(RecordedRequest request) {
        String agent = String.valueOf(request.getHeader("User-Agent"));
        if (down) {
            refused.computeIfAbsent(agent, k -> new AtomicLong()).incrementAndGet();
            return new MockResponse().setResponseCode(503).setBody(UNAVAILABLE);
        }
        if (!"GET".equals(request.getMethod())) {
            writes.computeIfAbsent(agent, k -> new AtomicLong()).incrementAndGet();
        }
        String path = request.getPath();
        if (path != null && NODE_NAME.matcher(path).find()) {
            String stripped = NODE_NAME.matcher(path).replaceAll("").replaceAll("[?&]$", "");
            request = new RecordedRequest(
                    request.getHttpVersion(), request.method(), stripped, request.getHeaders(), request.getBody());
        }
        return super.dispatch(request);
    }
}
