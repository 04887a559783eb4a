package io.tcphealth.agent.metrics;

/** Counts the agent's API writes by what they wrote ({@code status}, {@code event}) and how they ended. */
public interface ApiCalls {
    void succeeded(String what);

    void failed(String what);

    /** A write that was due but waited for the rate limit or a backoff. */
    void deferred(String what);

    static ApiCalls ignore() {
        return new ApiCalls() {
            @Override
            public void succeeded(String what) {}

            @Override
            public void failed(String what) {}

            @Override
            public void deferred(String what) {}
        };
    }
}
