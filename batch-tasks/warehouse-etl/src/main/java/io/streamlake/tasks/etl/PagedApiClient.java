package io.streamlake.tasks.etl;

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
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Reads a paginated JSON API page by page, by page number ({@code ?page=N&size=M}) or by cursor
 * ({@code ?limit=M&cursor=C}). It waits as told on 429 (Retry-After, in seconds or as an HTTP date), retries 5xx,
 * timeouts and connection failures with exponential backoff and jitter, and gives up with a clear
 * {@link ApiFailedException} when the retry budget is spent or on any other 4xx. Spring-free.
 */
public final class PagedApiClient {

    /** How pages are addressed. */
    public enum Pagination { PAGE, CURSOR }

    /** The API's shape and the retry budget. */
    public record Settings(URI url, Pagination pagination, int pageSize, int firstPage, String itemsField, String cursorField,
                           String totalPagesField, int maxAttempts, Duration initialBackoff, Duration maxBackoff,
                           Duration timeout, Duration maxRetryAfter) {
    }

    /** One page: its items and the token of the next page (null after the last). */
    public record Page(List<JsonNode> items, String nextToken) {
    }

    /** The API could not be read within the retry budget, or refused the request. */
    public static final class ApiFailedException extends RuntimeException {
        ApiFailedException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Settings settings;
    private final HttpClient http;
    private final Sleeper sleeper;

    /** Waits between attempts (tests count the waits instead of sleeping through them). */
    @FunctionalInterface
    public interface Sleeper {
        void sleep(Duration d) throws InterruptedException;
    }

    public PagedApiClient(Settings settings) {
        this(settings, d -> Thread.sleep(d.toMillis()));
    }

    public PagedApiClient(Settings settings, Sleeper sleeper) {
        this.settings = settings;
        this.sleeper = sleeper;
        this.http = HttpClient.newBuilder().connectTimeout(settings.timeout()).build();
    }

    /** The token of the first page. */
    public String firstToken() {
        return settings.pagination() == Pagination.PAGE ? Integer.toString(settings.firstPage()) : "";
    }

    public Page fetch(String token) {
        URI uri = uri(token);
        String lastProblem = null;
        Throwable lastCause = null;
        Duration backoff = settings.initialBackoff();
        for (int attempt = 1; attempt <= settings.maxAttempts(); attempt++) {
            Duration wait = backoff;
            try {
                HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri).timeout(settings.timeout())
                        .header("Accept", "application/json").GET().build(), HttpResponse.BodyHandlers.ofString());
                int status = response.statusCode();
                if (status == 200) {
                    return page(token, response.body(), uri);
                }
                lastProblem = "HTTP " + status;
                lastCause = null;
                if (status == 429) {
                    wait = retryAfter(response).orElse(backoff);
                } else if (status < 500) {
                    throw new ApiFailedException("GET " + uri + " answered HTTP " + status + " (not retried): "
                            + abbreviate(response.body()), null);
                }
            } catch (IOException e) {
                lastProblem = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
                lastCause = e;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ApiFailedException("interrupted while reading " + uri, e);
            }
            if (attempt < settings.maxAttempts()) {
                try {
                    sleeper.sleep(wait);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new ApiFailedException("interrupted while waiting to retry " + uri, e);
                }
                backoff = jitter(min(backoff.multipliedBy(2), settings.maxBackoff()));
            }
        }
        throw new ApiFailedException("GET " + uri + " failed " + settings.maxAttempts() + " times; last: " + lastProblem,
                lastCause);
    }

    private Page page(String token, String body, URI uri) {
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (IOException e) {
            throw new ApiFailedException("GET " + uri + " returned a body that is not JSON: " + abbreviate(body), e);
        }
        JsonNode items = root == null ? null : root.get(settings.itemsField());
        if (items == null || !items.isArray()) {
            throw new ApiFailedException("GET " + uri + " returned no '" + settings.itemsField() + "' array: " + abbreviate(body), null);
        }
        List<JsonNode> list = new ArrayList<>(items.size());
        items.forEach(list::add);
        String next;
        if (settings.pagination() == Pagination.PAGE) {
            int number = Integer.parseInt(token);
            JsonNode total = root.get(settings.totalPagesField());
            boolean more = !list.isEmpty() && (total == null || !total.canConvertToInt()
                    || number + 1 - settings.firstPage() < total.intValue());
            next = more ? Integer.toString(number + 1) : null;
        } else {
            JsonNode cursor = root.get(settings.cursorField());
            next = cursor == null || cursor.isNull() || cursor.asText().isEmpty() ? null : cursor.asText();
        }
        return new Page(list, next);
    }

    private URI uri(String token) {
        String base = settings.url().toString();
        String sep = base.contains("?") ? "&" : "?";
        if (settings.pagination() == Pagination.PAGE) {
            return URI.create(base + sep + "page=" + token + "&size=" + settings.pageSize());
        }
        return URI.create(base + sep + "limit=" + settings.pageSize()
                + (token.isEmpty() ? "" : "&cursor=" + URLEncoder.encode(token, StandardCharsets.UTF_8)));
    }

    private java.util.Optional<Duration> retryAfter(HttpResponse<?> response) {
        return response.headers().firstValue("Retry-After").map(String::strip).flatMap(v -> {
            try {
                return java.util.Optional.of(Duration.ofSeconds(Long.parseLong(v)));
            } catch (NumberFormatException notSeconds) {
                try {
                    ZonedDateTime at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME);
                    Duration d = Duration.between(ZonedDateTime.now(at.getZone()), at);
                    return java.util.Optional.of(d.isNegative() ? Duration.ZERO : d);
                } catch (RuntimeException unreadable) {
                    return java.util.Optional.empty();
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
