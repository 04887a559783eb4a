package io.tcphealth.agent.cluster;

import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The CRUD mock, which filters by metadata fields only, answering a {@code spec.nodeName} field selector: the
 * selector is dropped and the agent's own check on the node name does the filtering. Everything else is
 * unchanged.
 */
final class NodeFieldDispatcher extends KubernetesCrudDispatcher {
    private static final Pattern NODE_NAME = Pattern.compile("fieldSelector=spec\\.nodeName(%3D|=)[^&]*&?");

    NodeFieldDispatcher() {
        super(List.of());
    }

    @Override
    public MockResponse dispatch(RecordedRequest request) {
        String path = request.getPath();
        if (path != null && NODE_NAME.matcher(path).find()) {
            String stripped = NODE_NAME.matcher(path).replaceAll("").replaceAll("[?&]$", "");
            request = new RecordedRequest(
                    request.getHttpVersion(), request.method(), stripped, request.getHeaders(), request.getBody());
        }
        return super.dispatch(request);
    }
}
