package io.streamlake.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.Base64;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Three public-API look-alikes over real HTTP on 127.0.0.1, for the REST pipelines' tests and the offline local run
 * (there is no internet here): Spring-free, on the JDK's HTTP server.
 * <ul>
 *   <li>{@code GET /api/users?page=N&results=M&seed=S}: random users shaped like randomuser.me's (nested name,
 *       location, login, dob, registered...), deterministic per seed and index, {@code users} of them in all, then
 *       empty pages; page numbers.</li>
 *   <li>{@code GET /api/weather?city=C&offset=O&limit=M}: hourly readings of a city since {@code weatherSince}, up to
 *       the current hour; offset and limit, with a {@code Link: <...>; rel="next"} header while more exist.</li>
 *   <li>{@code GET /api/transactions?limit=M&cursor=C}: payment transactions by cursor ({@code next_cursor}: where the
 *       next page starts, given even on the last page so a poller can come back for new ones); an API key in
 *       {@code X-API-Key} when one is set (401 otherwise); a rate limit (429 with {@code Retry-After: 1} beyond
 *       {@code transactionsPerSecond} requests a second). {@code POST /api/transactions/append?count=N} adds N.</li>
 * </ul>
 * Faults on request: {@code POST /faults} with {@code {"path": "/api/users", "kind": "status", "status": 503,
 * "retry_after": "2", "times": 2}} (kinds {@code status}, {@code slow} with {@code delay_ms}, {@code malformed}: a
 * body that is not JSON, {@code truncated}: JSON cut off mid-record, {@code empty}: a 200 without a body,
 * {@code no_records}: JSON without the records array), served before the normal answers of
 * that path; {@code DELETE /faults} clears them. {@code GET /stats} counts the requests per path.
 */
public final class DemoApis implements AutoCloseable {

    /** The server's settings; {@link #defaults()} for the local run. */
    public record Settings(int port, int users, Instant weatherSince, int transactions, double transactionsPerSecond,
                           String apiKey) {
        public static Settings defaults() {
            return new Settings(0, 10_000, Instant.now().truncatedTo(ChronoUnit.HOURS).minus(Duration.ofDays(2)), 5_000,
                    20, null);
        }

        public Settings withPort(int p) {
            return new Settings(p, users, weatherSince, transactions, transactionsPerSecond, apiKey);
        }

        public Settings withApiKey(String key) {
            return new Settings(port, users, weatherSince, transactions, transactionsPerSecond, key);
        }

        public Settings withTransactionsPerSecond(double rate) {
            return new Settings(port, users, weatherSince, transactions, rate, apiKey);
        }
    }

    /** The cities the weather API knows. */
    public static final List<String> CITIES = List.of("Valletta", "Lisbon", "Oslo", "Reykjavik", "Athens", "Vienna");

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String[] FIRST = {"Ada", "Ben", "Chiara", "Dmitri", "Elif", "Farah", "Gus", "Hana", "Ivo", "Jade",
            "Kofi", "Lena", "Mateo", "Noor", "Olu", "Pia", "Quinn", "Rosa", "Sami", "Tove"};
    private static final String[] LAST = {"Borg", "Camilleri", "Silva", "Hansen", "Jonsson", "Papadopoulos", "Gruber",
            "Novak", "Okafor", "Tanaka", "Moreau", "Rossi"};
    private static final String[][] PLACES = {{"Valletta", "Malta", "MT"}, {"Lisbon", "Portugal", "PT"},
            {"Oslo", "Norway", "NO"}, {"Reykjavik", "Iceland", "IS"}, {"Athens", "Greece", "GR"}, {"Vienna", "Austria", "AT"}};
    private static final String[] MERCHANTS = {"Bookshop", "Grocer", "Airline", "Cinema", "Pharmacy", "Hotel"};

    private final Settings settings;
    private final HttpServer server;
    private final ExecutorService executor;
    private final Map<String, Deque<JsonNode>> faults = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> stats = new ConcurrentHashMap<>();
    private final AtomicInteger transactions;
    private final Deque<Long> transactionRequests = new ArrayDeque<>();

    private DemoApis(Settings settings) throws IOException {
        this.settings = settings;
        this.transactions = new AtomicInteger(settings.transactions());
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", settings.port()), 64);
        this.executor = Executors.newFixedThreadPool(4);
        server.setExecutor(executor);
        server.createContext("/api/users", ex -> serve(ex, this::users));
        server.createContext("/api/weather", ex -> serve(ex, this::weather));
        server.createContext("/api/transactions/append", ex -> serve(ex, this::append));
        server.createContext("/api/transactions", ex -> serve(ex, this::transactions));
        server.createContext("/faults", ex -> serve(ex, this::faults));
        server.createContext("/stats", ex -> serve(ex, q -> new Answer(200, JSON.valueToTree(stats), Map.of())));
        server.start();
    }

    public static DemoApis start(Settings settings) throws IOException {
        return new DemoApis(settings);
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public URI url(String path) {
        return URI.create("http://127.0.0.1:" + port() + path);
    }

    /** An answer: status, JSON body (null: none), headers. */
    private record Answer(int status, JsonNode body, Map<String, String> headers) {
    }

    private record Request(String method, String path, Map<String, String> query, String apiKey, byte[] body) {
        int intParam(String name, int dflt) {
            String v = query.get(name);
            if (v == null) {
                return dflt;
            }
            try {
                return Integer.parseInt(v);
            } catch (NumberFormatException e) {
                throw new BadRequest("'" + name + "' must be a whole number, not '" + v + "'");
            }
        }
    }

    private static final class BadRequest extends RuntimeException {
        BadRequest(String message) {
            super(message);
        }
    }

    private void serve(HttpExchange ex, java.util.function.Function<Request, Answer> handler) throws IOException {
        try (ex) {
            String path = ex.getRequestURI().getPath();
            stats.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
            Request request = new Request(ex.getRequestMethod(), path, query(ex.getRequestURI().getRawQuery()),
                    ex.getRequestHeaders().getFirst("X-API-Key"), ex.getRequestBody().readAllBytes());
            Deque<JsonNode> pending = faults.get(path);
            JsonNode fault = null;
            if (pending != null) {
                synchronized (pending) {
                    fault = pending.peekFirst();
                    if (fault != null && ((ObjectNode) fault).put("times", fault.path("times").asInt(1) - 1).get("times").asInt() <= 0) {
                        pending.pollFirst();
                    }
                }
            }
            if (fault != null && injure(ex, fault)) {
                return;
            }
            Answer answer;
            try {
                answer = handler.apply(request);
            } catch (BadRequest e) {
                answer = new Answer(400, JSON.createObjectNode().put("error", e.getMessage()), Map.of());
            }
            answer.headers().forEach((k, v) -> ex.getResponseHeaders().add(k, v));
            if (fault != null && fault.path("kind").asText().equals("no_records") && answer.status() == 200) {
                answer = new Answer(200, JSON.createObjectNode().put("note", "no records here"), Map.of());
            }
            byte[] bytes = answer.body() == null ? new byte[0] : JSON.writeValueAsBytes(answer.body());
            ex.getResponseHeaders().add("Content-Type", "application/json");
            ex.sendResponseHeaders(answer.status(), bytes.length == 0 ? -1 : bytes.length);
            if (bytes.length > 0) {
                try (OutputStream out = ex.getResponseBody()) {
                    out.write(bytes);
                }
            }
        }
    }

    /** A 200 with this body, whatever the path would have answered. */
    private static void ok(HttpExchange ex, String contentType, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", contentType);
        ex.sendResponseHeaders(200, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    /** Serves a fault instead of the answer; false when the fault only changes the answer (no_records) or delays it. */
    private static boolean injure(HttpExchange ex, JsonNode fault) throws IOException {
        switch (fault.path("kind").asText()) {
            case "status" -> {
                if (fault.hasNonNull("retry_after")) {
                    ex.getResponseHeaders().add("Retry-After", fault.get("retry_after").asText());
                }
                ex.sendResponseHeaders(fault.path("status").asInt(500), -1);
                return true;
            }
            case "malformed" -> {
                ok(ex, "text/html", "<html><body>Service temporarily unavailable</body></html>");
                return true;
            }
            case "truncated" -> {
                // a JSON body cut off mid-record, as a dropped connection behind a proxy leaves it
                ok(ex, "application/json", "{\"results\": [{\"id\": 1, \"name\": \"cut of");
                return true;
            }
            case "empty" -> {
                ex.getResponseHeaders().add("Content-Type", "application/json");
                ex.sendResponseHeaders(200, -1);
                return true;
            }
            case "slow" -> {
                try {
                    Thread.sleep(fault.path("delay_ms").asLong(5000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return false;
            }
            default -> {
                return false;
            }
        }
    }

    private Answer users(Request r) {
        int page = r.intParam("page", 1);
        int size = Math.min(5000, Math.max(1, r.intParam("results", 50)));
        String seed = r.query().getOrDefault("seed", "streamlake");
        if (page < 1) {
            throw new BadRequest("'page' starts at 1");
        }
        ObjectNode body = JSON.createObjectNode();
        ArrayNode results = body.putArray("results");
        long from = (long) (page - 1) * size;
        for (long i = from; i < Math.min(settings.users(), from + size); i++) {
            results.add(user(seed, i));
        }
        body.putObject("info").put("seed", seed).put("results", results.size()).put("page", page).put("version", "1.4");
        return new Answer(200, body, Map.of());
    }

    /** The user number {@code i} of a seed: the same every time. */
    static ObjectNode user(String seed, long i) {
        Random random = new Random(seed.hashCode() * 31L + i);
        String first = FIRST[random.nextInt(FIRST.length)];
        String last = LAST[random.nextInt(LAST.length)];
        String[] place = PLACES[random.nextInt(PLACES.length)];
        Instant registered = Instant.parse("2015-01-01T00:00:00Z").plus(Duration.ofMinutes(i * 37 + random.nextInt(30)));
        Instant dob = Instant.parse("1950-01-01T00:00:00Z").plus(Duration.ofDays(random.nextInt(20_000)));
        ObjectNode u = JSON.createObjectNode();
        u.put("gender", random.nextBoolean() ? "female" : "male");
        u.putObject("name").put("title", random.nextBoolean() ? "Ms" : "Mr").put("first", first).put("last", last);
        ObjectNode location = u.putObject("location");
        location.putObject("street").put("number", 1 + random.nextInt(300)).put("name", LAST[random.nextInt(LAST.length)] + " Street");
        location.put("city", place[0]).put("state", place[0]).put("country", place[1]).put("postcode", 1000 + random.nextInt(9000));
        location.putObject("coordinates").put("latitude", String.format("%.4f", -90 + 180 * random.nextDouble()))
                .put("longitude", String.format("%.4f", -180 + 360 * random.nextDouble()));
        location.putObject("timezone").put("offset", "+1:00").put("description", "Central European Time");
        u.put("email", (first + "." + last + i).toLowerCase() + "@example.com");
        u.putObject("login").put("uuid", new java.util.UUID(seed.hashCode(), i).toString()).put("username", (first + i).toLowerCase());
        u.putObject("dob").put("date", dob.toString()).put("age", 2026 - 1950 - (int) Duration.between(Instant.parse("1950-01-01T00:00:00Z"), dob).toDays() / 365);
        u.putObject("registered").put("date", registered.toString()).put("age", 11);
        u.put("phone", "+" + (100 + random.nextInt(900)) + " " + (1_000_000 + random.nextInt(9_000_000)));
        u.put("cell", "+" + (100 + random.nextInt(900)) + " " + (1_000_000 + random.nextInt(9_000_000)));
        u.putObject("id").put("name", place[2]).put("value", Long.toString(100_000_000L + i));
        u.put("nat", place[2]);
        return u;
    }

    private Answer weather(Request r) {
        String city = r.query().get("city");
        if (city == null || !CITIES.contains(city)) {
            throw new BadRequest("'city' must be one of " + CITIES);
        }
        int offset = Math.max(0, r.intParam("offset", 0));
        int limit = Math.min(1000, Math.max(1, r.intParam("limit", 24)));
        Instant now = Instant.now().truncatedTo(ChronoUnit.HOURS);
        long hours = Math.max(0, Duration.between(settings.weatherSince(), now).toHours() + 1);
        ObjectNode body = JSON.createObjectNode();
        body.put("city", city);
        ArrayNode readings = body.putArray("readings");
        for (long h = offset; h < Math.min(hours, (long) offset + limit); h++) {
            Random random = new Random(city.hashCode() * 31L + h);
            Instant at = settings.weatherSince().plus(Duration.ofHours(h));
            double daily = Math.sin((at.atZone(java.time.ZoneOffset.UTC).getHour() - 9) / 24.0 * 2 * Math.PI);
            readings.addObject().put("city", city).put("observed_at", at.toString())
                    .put("temperature_c", Math.round((14 + 8 * daily + random.nextGaussian()) * 10) / 10.0)
                    .put("humidity_pct", 40 + random.nextInt(50)).put("wind_kph", Math.round(random.nextDouble() * 400) / 10.0)
                    .put("condition", new String[] {"clear", "clouds", "rain", "wind"}[random.nextInt(4)]);
        }
        Map<String, String> headers = new HashMap<>();
        if (offset + limit < hours) {
            headers.put("Link", "</api/weather?city=" + city + "&offset=" + (offset + limit) + "&limit=" + limit + ">; rel=\"next\"");
        }
        return new Answer(200, body, headers);
    }

    private Answer transactions(Request r) {
        if (settings.apiKey() != null && !settings.apiKey().equals(r.apiKey())) {
            return new Answer(401, JSON.createObjectNode().put("error", "a valid X-API-Key is required"), Map.of());
        }
        synchronized (transactionRequests) {
            long now = System.nanoTime();
            while (!transactionRequests.isEmpty() && now - transactionRequests.peekFirst() > 1_000_000_000L) {
                transactionRequests.pollFirst();
            }
            if (transactionRequests.size() >= settings.transactionsPerSecond()) {
                return new Answer(429, JSON.createObjectNode().put("error", "rate limit: "
                        + settings.transactionsPerSecond() + " requests a second"), Map.of("Retry-After", "1"));
            }
            transactionRequests.addLast(now);
        }
        int limit = Math.min(1000, Math.max(1, r.intParam("limit", 100)));
        long from = 0;
        String cursor = r.query().get("cursor");
        if (cursor != null && !cursor.isEmpty()) {
            try {
                from = Long.parseLong(new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8).substring(3));
            } catch (RuntimeException e) {
                throw new BadRequest("unknown cursor '" + cursor + "'");
            }
        }
        long total = transactions.get();
        ObjectNode body = JSON.createObjectNode();
        ArrayNode data = body.putArray("data");
        long to = Math.min(total, from + limit);
        for (long i = from; i < to; i++) {
            data.add(transaction(i));
        }
        body.put("next_cursor", Base64.getUrlEncoder().withoutPadding()
                .encodeToString(("tx:" + to).getBytes(StandardCharsets.UTF_8)));
        body.put("has_more", to < total);
        return new Answer(200, body, Map.of());
    }

    /** Transaction number {@code i}: the same every time. */
    static ObjectNode transaction(long i) {
        Random random = new Random(7919L * i + 17);
        return JSON.createObjectNode().put("transaction_id", "TX-" + (1_000_000 + i))
                .put("account_id", "ACC-" + (1000 + random.nextInt(400)))
                .put("amount", java.math.BigDecimal.valueOf(100 + random.nextInt(500_000), 2))
                .put("currency", random.nextInt(5) == 0 ? "USD" : "EUR")
                .put("merchant", MERCHANTS[random.nextInt(MERCHANTS.length)])
                .put("created_at", Instant.parse("2026-11-01T00:00:00Z").plus(Duration.ofSeconds(i * 13)).toString());
    }

    private Answer append(Request r) {
        if (!r.method().equals("POST")) {
            return new Answer(405, null, Map.of());
        }
        int count = r.intParam("count", 1);
        return new Answer(200, JSON.createObjectNode().put("transactions", transactions.addAndGet(count)), Map.of());
    }

    private Answer faults(Request r) {
        if (r.method().equals("DELETE")) {
            faults.clear();
            return new Answer(204, null, Map.of());
        }
        if (!r.method().equals("POST")) {
            return new Answer(405, null, Map.of());
        }
        JsonNode fault;
        try {
            fault = JSON.readTree(r.body());
        } catch (IOException e) {
            throw new BadRequest("the fault must be JSON: " + e.getMessage());
        }
        if (fault == null || !fault.isObject() || !fault.hasNonNull("path") || !fault.hasNonNull("kind")) {
            throw new BadRequest("a fault needs 'path' and 'kind' (status, slow, malformed, truncated, empty, no_records)");
        }
        Deque<JsonNode> pending = faults.computeIfAbsent(fault.get("path").asText(), p -> new ArrayDeque<>());
        synchronized (pending) {
            pending.addLast(fault.deepCopy());
        }
        return new Answer(201, fault, Map.of());
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> query = new HashMap<>();
        if (raw == null || raw.isEmpty()) {
            return query;
        }
        for (String part : raw.split("&")) {
            int eq = part.indexOf('=');
            String name = URLDecoder.decode(eq < 0 ? part : part.substring(0, eq), StandardCharsets.UTF_8);
            query.put(name, eq < 0 ? "" : URLDecoder.decode(part.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return query;
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
