package io.tcphealth.agent.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.KubernetesClientException;
import java.net.ConnectException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class KeepListingTest {

    @Test
    void retriesBeforeAndAfterTheFirstListAndSaysEachReasonOnce() {
        List<String> said = new ArrayList<>();
        KeepListing handler = new KeepListing("TcpHealthNode node-a", said::add);
        KubernetesClientException refused =
                new KubernetesClientException("java.net.ConnectException", new ConnectException());
        assertThat(handler.retryAfterException(false, refused)).isTrue();
        assertThat(handler.retryAfterException(false, refused)).isTrue();
        KubernetesClientException forbidden = new KubernetesClientException("Forbidden: no permission", 403, null);
        assertThat(handler.retryAfterException(true, forbidden)).isTrue();
        assertThat(said)
                .containsExactly(
                        "Listing TcpHealthNode node-a failed (connection refused); trying again",
                        "Listing TcpHealthNode node-a failed (Forbidden: no permission); trying again");
    }
}
