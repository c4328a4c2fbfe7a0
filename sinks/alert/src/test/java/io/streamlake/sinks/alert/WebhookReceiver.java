package io.streamlake.sinks.alert;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/** A real HTTP server on loopback taking webhook POSTs: answers 503 to the first {@code failures}, then 200 (or a set status). */
final class WebhookReceiver implements AutoCloseable {

    /** One request as received. */
    record Received(Map<String, List<String>> headers, byte[] body) {
        String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name)).map(e -> e.getValue().get(0))
                    .findFirst().orElse(null);
        }

        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    private final HttpServer server;
    final List<Received> accepted = new CopyOnWriteArrayList<>();
    final AtomicInteger failures = new AtomicInteger();
    final AtomicInteger attempts = new AtomicInteger();
    /** Attempts (1-based) answered 503 whatever comes. */
    final java.util.Set<Integer> failOnAttempts = java.util.concurrent.ConcurrentHashMap.newKeySet();
    /** Bodies containing this are answered 400 (refused for good). */
    volatile String refuseMarker;

    WebhookReceiver(int firstFailures) {
        this.failures.set(firstFailures);
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/alerts", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            int attempt = attempts.incrementAndGet();
            int status;
            if (failures.getAndUpdate(f -> Math.max(0, f - 1)) > 0 || failOnAttempts.contains(attempt)) {
                status = 503;
            } else if (refuseMarker != null && new String(body, StandardCharsets.UTF_8).contains(refuseMarker)) {
                status = 400;
            } else {
                accepted.add(new Received(Map.copyOf(exchange.getRequestHeaders()), body));
                status = 200;
            }
            byte[] answer = (status == 400 ? "{\"error\": \"unknown customer\"}" : "").getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status, answer.length == 0 ? -1 : answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        server.start();
    }

    URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/alerts");
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
