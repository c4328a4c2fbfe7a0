package io.streamlake.common.http;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a paginated JSON API page by page; Spring-free, shared by warehouse-etl's profile reader and the http-poll
 * source. Pages are addressed by page number ({@code ?page=N&size=M}), offset ({@code ?offset=O&limit=M}), cursor
 * ({@code ?limit=M&cursor=C}, the next cursor read from the body) or the {@code Link: <...>; rel="next"} header; the
 * records are the array at a JSON pointer of the body ({@code /results}, or a top-level field name). Authentication
 * is an API key in a header or the query, a bearer token, or basic credentials; the secret is never part of a message.
 * A client-side rate limit spaces the requests. It waits as told on 429 ({@code Retry-After} in seconds or as an HTTP
 * date), retries 5xx, timeouts and connection failures with exponential backoff and jitter, and gives up with a clear
 * {@link ApiFailedException} (the URL, the status) when the retry budget is spent or on any other 4xx; a body that is
 * not JSON, or has no records array, is an {@link UnreadableResponseException}.
 */
public final class PagedApiClient {

    /** How pages are addressed. */
    public enum Pagination { NONE, PAGE, OFFSET, CURSOR, LINK }

    /** How the API is authenticated. */
    public enum AuthKind { NONE, API_KEY_HEADER, API_KEY_QUERY, BEARER, BASIC }

    /**
     * Credentials: for API keys, {@code name} is the header or query parameter; for basic, {@code name} is the user
     * and {@code secret} the password. {@link #toString()} never shows the secret.
     */
    public record Auth(AuthKind kind, String name, String secret) {
        public static final Auth NONE = new Auth(AuthKind.NONE, null, null);

        @Override
        public String toString() {
            return kind + (name == null ? "" : " " + name) + (secret == null ? "" : " (secret set)");
        }
    }

    /** The API's shape, its credentials and the retry budget. Build with {@link #builder(URI)}. */
    public record Settings(URI url, String method, Map<String, String> headers, Auth auth, Pagination pagination,
                           int pageSize, int firstPage, String pageParam, String sizeParam, String offsetParam,
                           String limitParam, String cursorParam, String itemsPath, String cursorPath,
                           String totalPagesPath, int maxAttempts, Duration initialBackoff, Duration maxBackoff,
                           Duration timeout, Duration maxRetryAfter, double requestsPerSecond, boolean keepRecordBytes) {

        public static Builder builder(URI url) {
            return new Builder(url);
        }
    }

    /** Settings with the common defaults: GET, page numbers from 1, pages of 100, 6 attempts, 10 s timeout. */
    public static final class Builder {
        private final URI url;
        private String method = "GET";
        private final Map<String, String> headers = new LinkedHashMap<>();
        private Auth auth = Auth.NONE;
        private Pagination pagination = Pagination.PAGE;
        private int pageSize = 100;
        private int firstPage = 1;
        private String pageParam = "page";
        private String sizeParam = "size";
        private String offsetParam = "offset";
        private String limitParam = "limit";
        private String cursorParam = "cursor";
        private String itemsPath = "data";
        private String cursorPath = "next_cursor";
        private String totalPagesPath = "total_pages";
        private int maxAttempts = 6;
        private Duration initialBackoff = Duration.ofMillis(500);
        private Duration maxBackoff = Duration.ofSeconds(30);
        private Duration timeout = Duration.ofSeconds(10);
        private Duration maxRetryAfter = Duration.ofSeconds(120);
        private double requestsPerSecond;
        private boolean keepRecordBytes;

        private Builder(URI url) {
            this.url = url;
        }

        public Builder method(String v) { method = v; return this; }
        public Builder header(String name, String value) { headers.put(name, value); return this; }
        public Builder auth(Auth v) { auth = v; return this; }
        public Builder pagination(Pagination v) { pagination = v; return this; }
        public Builder pageSize(int v) { pageSize = v; return this; }
        public Builder firstPage(int v) { firstPage = v; return this; }
        public Builder pageParam(String v) { pageParam = v; return this; }
        public Builder sizeParam(String v) { sizeParam = v; return this; }
        public Builder offsetParam(String v) { offsetParam = v; return this; }
        public Builder limitParam(String v) { limitParam = v; return this; }
        public Builder cursorParam(String v) { cursorParam = v; return this; }
        public Builder itemsPath(String v) { itemsPath = v; return this; }
        public Builder cursorPath(String v) { cursorPath = v; return this; }
        public Builder totalPagesPath(String v) { totalPagesPath = v; return this; }
        public Builder maxAttempts(int v) { maxAttempts = v; return this; }
        public Builder initialBackoff(Duration v) { initialBackoff = v; return this; }
        public Builder maxBackoff(Duration v) { maxBackoff = v; return this; }
        public Builder timeout(Duration v) { timeout = v; return this; }
        public Builder maxRetryAfter(Duration v) { maxRetryAfter = v; return this; }
        public Builder requestsPerSecond(double v) { requestsPerSecond = v; return this; }
        /** Keep each record also as the bytes the API sent ({@link Page#raw()}), for a caller that passes them on as is. */
        public Builder keepRecordBytes(boolean v) { keepRecordBytes = v; return this; }

        public Settings build() {
            return new Settings(url, method, Map.copyOf(headers), auth, pagination, pageSize, firstPage, pageParam,
                    sizeParam, offsetParam, limitParam, cursorParam, itemsPath, cursorPath, totalPagesPath, maxAttempts,
                    initialBackoff, maxBackoff, timeout, maxRetryAfter, requestsPerSecond, keepRecordBytes);
        }
    }

    /**
     * One page: its records, the token of the next page (null after the last), and the URL it came from (secrets
     * hidden). With {@code keepRecordBytes}, {@code raw} holds each record as the exact bytes the API sent (UTF-8), so
     * that a caller passing records on needs not write them again; an element is null where the record is not a JSON
     * object, or where the bytes are not kept (no {@code keepRecordBytes}, or a records path with an array index).
     */
    public record Page(List<JsonNode> items, List<byte[]> raw, String nextToken, URI uri) {
    }

    /** The API could not be read within the retry budget, or refused the request ({@code status} -1: no answer). */
    public static class ApiFailedException extends RuntimeException {
        private final URI uri;
        private final int status;

        ApiFailedException(String message, Throwable cause, URI uri, int status) {
            super(message, cause);
            this.uri = uri;
            this.status = status;
        }

        public URI uri() {
            return uri;
        }

        public int status() {
            return status;
        }
    }

    /** The API answered 200 with a body that is not JSON, or without the records array. */
    public static final class UnreadableResponseException extends ApiFailedException {
        private final String body;

        UnreadableResponseException(String message, Throwable cause, URI uri, String body) {
            super(message, cause, uri, 200);
            this.body = body;
        }

        /** The body as received (for a dead-letter record). */
        public String body() {
            return body;
        }
    }

    /** Waits between attempts (tests count the waits instead of sleeping through them). */
    @FunctionalInterface
    public interface Sleeper {
        void sleep(Duration d) throws InterruptedException;
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern NEXT_LINK = Pattern.compile("<([^>]*)>\\s*;[^,]*rel=\"?next\"?");

    private final Settings settings;
    /** The records path as field names, for {@link RecordsReader} (null: the records' bytes are not kept). */
    private final List<String> itemsSegments;
    private final HttpClient http;
    private final Sleeper sleeper;
    private long nextRequestNanos;

    public PagedApiClient(Settings settings) {
        this(settings, d -> Thread.sleep(d.toMillis()));
    }

    public PagedApiClient(Settings settings, Sleeper sleeper) {
        this.settings = settings;
        this.itemsSegments = settings.keepRecordBytes() ? segments(settings.itemsPath()) : null;
        this.sleeper = sleeper;
        this.http = HttpClient.newBuilder().connectTimeout(settings.timeout()).build();
    }

    public Settings settings() {
        return settings;
    }

    /** The token of the first page. */
    public String firstToken() {
        return switch (settings.pagination()) {
            case PAGE -> Integer.toString(settings.firstPage());
            case OFFSET -> "0";
            default -> "";
        };
    }

    /** The page a token stands for (retrying as the settings say). */
    public Page fetch(String token) {
        URI uri = uri(token);
        URI shown = shown(uri);
        String lastProblem = null;
        Throwable lastCause = null;
        Duration backoff = settings.initialBackoff();
        for (int attempt = 1; attempt <= settings.maxAttempts(); attempt++) {
            Duration wait = backoff;
            try {
                pace();
                HttpResponse<byte[]> response = http.send(request(uri), HttpResponse.BodyHandlers.ofByteArray());
                int status = response.statusCode();
                if (status == 200) {
                    return page(token, response, uri, shown);
                }
                lastProblem = "HTTP " + status;
                lastCause = null;
                if (status == 429) {
                    wait = retryAfter(response).orElse(backoff);
                } else if (status < 500) {
                    throw new ApiFailedException(settings.method() + " " + shown + " answered HTTP " + status
                            + " (not retried): " + abbreviate(text(response.body())), null, shown, status);
                }
            } catch (IOException e) {
                lastProblem = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
                lastCause = e;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ApiFailedException("interrupted while reading " + shown, e, shown, -1);
            }
            if (attempt < settings.maxAttempts()) {
                try {
                    sleeper.sleep(wait);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new ApiFailedException("interrupted while waiting to retry " + shown, e, shown, -1);
                }
                backoff = jitter(min(backoff.multipliedBy(2), settings.maxBackoff()));
            }
        }
        throw new ApiFailedException(settings.method() + " " + shown + " failed " + settings.maxAttempts() + " times; last: "
                + lastProblem, lastCause, shown, lastProblem != null && lastProblem.startsWith("HTTP ")
                ? Integer.parseInt(lastProblem.substring(5)) : -1);
    }

    /** Spaces requests to at most {@code requestsPerSecond}. */
    private void pace() throws InterruptedException {
        if (settings.requestsPerSecond() <= 0) {
            return;
        }
        long now = System.nanoTime();
        if (nextRequestNanos > now) {
            sleeper.sleep(Duration.ofNanos(nextRequestNanos - now));
        }
        nextRequestNanos = Math.max(now, nextRequestNanos) + (long) (1e9 / settings.requestsPerSecond());
    }

    private HttpRequest request(URI uri) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(settings.timeout()).header("Accept", "application/json");
        settings.headers().forEach(b::header);
        Auth auth = settings.auth();
        switch (auth.kind()) {
            case API_KEY_HEADER -> b.header(auth.name(), auth.secret());
            case BEARER -> b.header("Authorization", "Bearer " + auth.secret());
            case BASIC -> b.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                    (auth.name() + ":" + auth.secret()).getBytes(StandardCharsets.UTF_8)));
            default -> {
            }
        }
        return b.method(settings.method(), HttpRequest.BodyPublishers.noBody()).build();
    }

    private Page page(String token, HttpResponse<byte[]> response, URI uri, URI shown) {
        byte[] body = response.body();
        RecordsReader read;
        try {
            read = new RecordsReader(body, itemsSegments);
        } catch (IOException e) {
            throw new UnreadableResponseException(settings.method() + " " + shown + " returned a body that is not JSON: "
                    + abbreviate(text(body)), e, shown, text(body));
        }
        JsonNode root = read.root;
        JsonNode items = at(root, settings.itemsPath());
        if (items == null || !items.isArray()) {
            throw new UnreadableResponseException(settings.method() + " " + shown + " returned no records array at '"
                    + settings.itemsPath() + "': " + abbreviate(text(body)), null, shown, text(body));
        }
        List<JsonNode> list = new ArrayList<>(items.size());
        items.forEach(list::add);
        List<byte[]> raw = read.raw.size() == list.size() ? read.raw : java.util.Collections.nCopies(list.size(), null);
        String next = switch (settings.pagination()) {
            case NONE -> null;
            case PAGE -> {
                int number = Integer.parseInt(token);
                JsonNode total = at(root, settings.totalPagesPath());
                boolean more = !list.isEmpty() && (total == null || !total.canConvertToInt()
                        || number + 1 - settings.firstPage() < total.intValue());
                yield more ? Integer.toString(number + 1) : null;
            }
            case OFFSET -> list.size() < settings.pageSize() ? null : Long.toString(Long.parseLong(token) + list.size());
            case CURSOR -> {
                JsonNode cursor = at(root, settings.cursorPath());
                yield cursor == null || cursor.isNull() || cursor.asText().isEmpty() ? null : cursor.asText();
            }
            case LINK -> response.headers().allValues("Link").stream().map(NEXT_LINK::matcher).filter(Matcher::find)
                    .map(m -> uri.resolve(m.group(1)).toString()).findFirst().orElse(null);
        };
        return new Page(list, raw, next, shown);
    }

    /** A JSON pointer ({@code /results/items}), a top-level field name, or the root ({@code ""} or {@code /}). */
    private static JsonNode at(JsonNode root, String path) {
        if (root == null || path == null) {
            return null;
        }
        if (path.isEmpty() || path.equals("/")) {
            return root;
        }
        JsonNode node = path.startsWith("/") ? root.at(path) : root.get(path);
        return node == null || node.isMissingNode() ? null : node;
    }

    private static String text(byte[] body) {
        return body == null ? null : new String(body, StandardCharsets.UTF_8);
    }

    /** The records path as field names from the root (empty: the root itself), or null for a path with array indexes. */
    private static List<String> segments(String itemsPath) {
        if (itemsPath == null) {
            return null;
        }
        if (itemsPath.isEmpty() || itemsPath.equals("/")) {
            return List.of();
        }
        if (!itemsPath.startsWith("/")) {
            return List.of(itemsPath);
        }
        List<String> out = new ArrayList<>();
        for (String s : itemsPath.substring(1).split("/", -1)) {
            if (s.chars().allMatch(Character::isDigit)) {
                return null; // an index (or an empty name): the tree is walked as usual, records written again
            }
            out.add(s.replace("~1", "/").replace("~0", "~"));
        }
        return out;
    }

    /**
     * Reads a body into its tree in one pass, keeping each element of the records array also as the bytes it was sent
     * as: the records go on unchanged, at the cost of the parse alone (no second write of every record).
     */
    private static final class RecordsReader {
        final JsonNode root;
        final List<byte[]> raw = new ArrayList<>();
        private final byte[] body;

        RecordsReader(byte[] body, List<String> path) throws IOException {
            this.body = body;
            try (JsonParser p = JSON.getFactory().createParser(body)) {
                if (p.nextToken() == null) {
                    throw new com.fasterxml.jackson.core.JsonParseException(p, "empty body");
                }
                root = read(p, path, 0);
                if (p.nextToken() != null) {
                    throw new com.fasterxml.jackson.core.JsonParseException(p, "more than one JSON value");
                }
            }
        }

        private JsonNode read(JsonParser p, List<String> path, int depth) throws IOException {
            if (path == null) {
                return JSON.readTree(p);
            }
            if (depth == path.size() && p.currentToken() == JsonToken.START_ARRAY) {
                com.fasterxml.jackson.databind.node.ArrayNode array = JSON.createArrayNode();
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    boolean object = p.currentToken() == JsonToken.START_OBJECT;
                    long start = p.currentTokenLocation().getByteOffset();
                    JsonNode item = JSON.readTree(p);
                    array.add(item);
                    raw.add(object ? java.util.Arrays.copyOfRange(body, (int) start, (int) p.currentLocation().getByteOffset())
                            : null);
                }
                return array;
            }
            if (depth < path.size() && p.currentToken() == JsonToken.START_OBJECT) {
                com.fasterxml.jackson.databind.node.ObjectNode object = JSON.createObjectNode();
                String wanted = path.get(depth);
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String name = p.currentName();
                    p.nextToken();
                    object.set(name, name.equals(wanted) ? read(p, path, depth + 1) : JSON.readTree(p));
                }
                return object;
            }
            return JSON.readTree(p);
        }
    }

    /** The URL as it may be shown (messages, dead letters): an API key in the query replaced by ***. */
    private URI shown(URI uri) {
        if (settings.auth().kind() != AuthKind.API_KEY_QUERY || uri.getRawQuery() == null) {
            return uri;
        }
        String name = Pattern.quote(URLEncoder.encode(settings.auth().name(), StandardCharsets.UTF_8));
        return URI.create(uri.toString().replaceAll("([?&]" + name + "=)[^&]*", "$1***"));
    }

    private URI uri(String token) {
        if (settings.pagination() == Pagination.LINK && !token.isEmpty()) {
            return URI.create(token); // the next link, as the API gave it
        }
        String base = settings.url().toString();
        StringBuilder query = new StringBuilder();
        switch (settings.pagination()) {
            case PAGE -> param(query, settings.pageParam(), token).param(query, settings.sizeParam(), Integer.toString(settings.pageSize()));
            case OFFSET -> param(query, settings.offsetParam(), token).param(query, settings.limitParam(), Integer.toString(settings.pageSize()));
            case CURSOR -> {
                param(query, settings.limitParam(), Integer.toString(settings.pageSize()));
                if (!token.isEmpty()) {
                    param(query, settings.cursorParam(), token);
                }
            }
            case LINK -> param(query, settings.limitParam(), Integer.toString(settings.pageSize()));
            default -> {
            }
        }
        if (settings.auth().kind() == AuthKind.API_KEY_QUERY) {
            param(query, settings.auth().name(), settings.auth().secret());
        }
        if (query.length() == 0) {
            return settings.url();
        }
        return URI.create(base + (base.contains("?") ? "&" : "?") + query);
    }

    private PagedApiClient param(StringBuilder query, String name, String value) {
        if (query.length() > 0) {
            query.append('&');
        }
        query.append(URLEncoder.encode(name, StandardCharsets.UTF_8)).append('=')
                .append(URLEncoder.encode(value, StandardCharsets.UTF_8));
        return this;
    }

    private Optional<Duration> retryAfter(HttpResponse<?> response) {
        return response.headers().firstValue("Retry-After").map(String::strip).flatMap(v -> {
            try {
                return Optional.of(Duration.ofSeconds(Long.parseLong(v)));
            } catch (NumberFormatException notSeconds) {
                try {
                    ZonedDateTime at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME);
                    Duration d = Duration.between(ZonedDateTime.now(at.getZone()), at);
                    return Optional.of(d.isNegative() ? Duration.ZERO : d);
                } catch (RuntimeException unreadable) {
                    return Optional.empty();
                }
            }
        }).map(d -> min(d, settings.maxRetryAfter()));
    }

    private static Duration jitter(Duration d) {
        long ms = d.toMillis();
        return Duration.ofMillis(ms / 2 + ThreadLocalRandom.current().nextLong(ms / 2 + 1));
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private static String abbreviate(String s) {
        return s == null ? "" : s.length() <= 200 ? s : s.substring(0, 200) + "...";
    }
}
