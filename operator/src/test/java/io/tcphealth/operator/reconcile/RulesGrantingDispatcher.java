package io.tcphealth.operator.reconcile;

import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.util.List;

/**
 * The CRUD mock, plus an answer to SelfSubjectRulesReview (which the mock cannot give): full rights on
 * Leases, as the operator's Role grants them. JOSDK asks this before it starts leader election.
 */
final class RulesGrantingDispatcher extends KubernetesCrudDispatcher {

    RulesGrantingDispatcher() {
        super(List.of());
    }

    @Override
    public MockResponse dispatch(RecordedRequest request) {
        if ("POST".equals(request.getMethod())
                && request.getPath().startsWith("/apis/authorization.k8s.io/v1/selfsubjectrulesreviews")) {
            return new MockResponse().setResponseCode(201).setBody("""
          {"apiVersion":"authorization.k8s.io/v1","kind":"SelfSubjectRulesReview",
           "status":{"incomplete":false,"nonResourceRules":[],
             "resourceRules":[{"apiGroups":["coordination.k8s.io"],"resources":["leases"],
               "verbs":["get","list","watch","create","update","patch","delete"]}]}}""");
        }
        return super.dispatch(request);
    }
}
