package io.tcphealth.agent.metrics;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;

/**
 * The cluster agent's HTTP port: {@code /metrics} (Prometheus text), {@code /livez} and {@code /healthz}
 * (liveness), {@code /readyz} (readiness). Served by the JDK's own HTTP server on one small thread.
 */
public final class AgentEndpoints implements AutoCloseable {
    private final HttpServer server;

    public AgentEndpoints(InetSocketAddress address, PrometheusMeterRegistry registry, AgentProbes probes)
            throws IOException {
        server = HttpServer.create(address, 0);
        server.setExecutor(Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "tcphealth-endpoints");
            t.setDaemon(true);
            return t;
        }));
        server.createContext(
                "/metrics",
                exchange -> send(exchange, 200, "text/plain; version=0.0.4; charset=utf-8", registry.scrape()));
        server.createContext("/livez", exchange -> probe(exchange, probes::live, probes));
        server.createContext("/healthz", exchange -> probe(exchange, probes::live, probes));
        server.createContext("/readyz", exchange -> probe(exchange, probes::ready, probes));
        server.start();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    private static void probe(HttpExchange exchange, BooleanSupplier check, AgentProbes probes) throws IOException {
        boolean ok = check.getAsBoolean();
        send(
                exchange,
                ok ? 200 : 503,
                "text/plain; charset=utf-8",
                (ok ? "ok: " : "failing: ") + probes.describe() + "\n");
    }

    private static void send(HttpExchange exchange, int code, String type, String text) throws IOException {
        byte[] body = text.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.sendResponseHeaders(code, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
