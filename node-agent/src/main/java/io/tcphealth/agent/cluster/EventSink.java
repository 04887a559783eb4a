package io.tcphealth.agent.cluster;

/** Creates one Event; throws (unchecked, as the client does) when the API refuses. */
@FunctionalInterface
public interface EventSink {
    void emit(EventTarget target, String reason, String message);
}
