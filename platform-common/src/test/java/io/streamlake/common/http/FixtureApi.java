package io.streamlake.common.http;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedDeque;

/**
 * A real local HTTP server for the API tests: fixed pages by {@code page}, {@code cursor} or {@code offset} (with
 * {@code Link} headers where asked), the Authorization headers it received, and scripted faults
 * (status codes with optional Retry-After, or a stall longer than the client's timeout) served before the pages.
 */
public final class FixtureApi implements AutoCloseable {

    /** A fault served instead of the next answer: a status (and Retry-After, may be null), or a stall. */
    public record Fault(int status, String retryAfter, long stallMillis) {
        public static Fault status(int status) {
            return new Fault(status, null, 0);
        }
    }

    private final HttpServer server;
    private final Deque<Fault> faults = new ConcurrentLinkedDeque<>();
    public final List<String> requests = Collections.synchronizedList(new ArrayList<>());
    /** The Authorization headers received. */
    public final List<String> authorizations = Collections.synchronizedList(new ArrayList<>());
    private final Map<String, String> links = new java.util.concurrent.ConcurrentHashMap<>();

    /** {@code pages}: page number (from 1) or cursor ("" for the first) to the JSON body served for it. */
    public FixtureApi(Map<String, String> pages) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/customers", exchange -> {
            String query = exchange.getRequestURI().getRawQuery();
            requests.add(query);
            String authorization = exchange.getRequestHeaders().getFirst("Authorization");
            if (authorization != null) {
                authorizations.add(authorization);
            }
            Fault fault = faults.poll();
            if (fault != null) {
                if (fault.stallMillis() > 0) {
                    try {
                        Thread.sleep(fault.stallMillis());
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                if (fault.retryAfter() != null) {
                    exchange.getResponseHeaders().add("Retry-After", fault.retryAfter());
                }
                exchange.sendResponseHeaders(fault.status(), -1);
                exchange.close();
                return;
            }
            String key = param(query, "page");
            if (key == null) {
                key = param(query, "cursor");
            }
            if (key == null) {
                key = param(query, "offset");
            }
            key = key == null ? "" : key;
            String body = pages.get(key);
            if (links.containsKey(key)) {
                exchange.getResponseHeaders().add("Link", "<" + links.get(key) + ">; rel=\"next\"");
            }
            byte[] bytes = (body == null ? "{\"error\":\"no such page\"}" : body).getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(body == null ? 404 : 200, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        });
        server.setExecutor(java.util.concurrent.Executors.newFixedThreadPool(2));
        server.start();
    }

    /** Answers the page {@code key} with a {@code Link: <next>; rel="next"} header. */
    public void link(String key, String next) {
        links.put(key, next);
    }

    public void fail(Fault... next) {
        faults.addAll(List.of(next));
    }

    public URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/customers");
    }

    private static String param(String query, String name) {
        if (query == null) {
            return null;
        }
        for (String part : query.split("&")) {
            if (part.startsWith(name + "=")) {
                return java.net.URLDecoder.decode(part.substring(name.length() + 1), StandardCharsets.UTF_8);
            }
        }
        return null;
    }

    @Override
    public void close() {
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }
}
