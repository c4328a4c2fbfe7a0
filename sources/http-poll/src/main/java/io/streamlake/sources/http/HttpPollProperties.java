package io.streamlake.sources.http;

import io.streamlake.common.http.PagedApiClient;
import org.springframework.boot.context.properties.ConfigurationProperties;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/** Settings of the http-poll source. */
@ConfigurationProperties("http-poll")
public class HttpPollProperties {

    /** The source's name: its high-water mark is kept under it, so two sources must not share one. */
    private String name = "http-poll";

    /**
     * The API's URL; {name} placeholders are filled from url-variables, and {mark} with the high-water mark (empty
     * before the first), e.g. http://api.example.com/v1/payments?since={mark}.
     */
    private String url;

    /** Values for the URL's {name} placeholders. */
    private Map<String, String> urlVariables = new LinkedHashMap<>();

    /** HTTP method of each page request. */
    private String method = "GET";

    /** Extra request headers (not for secrets: see auth). */
    private Map<String, String> headers = new LinkedHashMap<>();

    /** Credentials: NONE, API_KEY_HEADER, API_KEY_QUERY, BEARER or BASIC, with the secret from the environment or a file. */
    private final Auth auth = new Auth();

    /** PAGE (page and size parameters), OFFSET (offset and limit), CURSOR (limit and cursor), LINK (the Link header) or NONE. */
    private PagedApiClient.Pagination pagination = PagedApiClient.Pagination.PAGE;

    /** Records requested per page. */
    private int pageSize = 100;

    /** Number of the first page (PAGE). */
    private int firstPage = 1;

    /** Query parameter names of the page number and size (PAGE). */
    private String pageParam = "page";

    /** Query parameter of the page size (PAGE). */
    private String sizeParam = "size";

    /** Query parameter of the offset (OFFSET). */
    private String offsetParam = "offset";

    /** Query parameter of the page size (OFFSET, CURSOR, LINK). */
    private String limitParam = "limit";

    /** Query parameter of the cursor (CURSOR). */
    private String cursorParam = "cursor";

    /** Where the records are in a response: a JSON pointer (/results, /data/items), a top-level field, or / for a bare array. */
    private String recordsPath = "/data";

    /** Where the next cursor is in a response (CURSOR), a JSON pointer or top-level field; absent, null or empty ends. */
    private String cursorPath = "/next_cursor";

    /** Where the page count is (PAGE), when the API gives one; otherwise a short page ends. */
    private String totalPagesPath = "/total_pages";

    /**
     * The fields to send, flat (as a contract wants them): fields.email=/email, fields.first_name=/name/first, or a
     * template of pointers, fields.street={/location/street/number} {/location/street/name}; empty sends each record
     * as the API gives it.
     */
    private Map<String, String> fields = new LinkedHashMap<>();

    /** The message key: a JSON pointer into each record as the API gives it (e.g. /login/uuid); empty for none. */
    private String keyField = "";

    /**
     * How the next poll knows where this one stopped: CURSOR (the next page token, and how many records of a last,
     * short page were sent), MAX_FIELD (the greatest value of mark-field sent; older records are skipped) or NONE.
     */
    private HttpPoller.Resume resume = HttpPoller.Resume.CURSOR;

    /** The field whose greatest value is the mark (MAX_FIELD), a JSON pointer, e.g. /created_at or /id. */
    private String markField;

    /** Time between the end of one poll and the start of the next. */
    private Duration fixedDelay = Duration.ofSeconds(10);

    /** Most pages read in one poll (the next poll goes on from there). */
    private int maxPagesPerPoll = 1000;

    /** Client-side rate limit, requests per second; 0 for none. */
    private double requestsPerSecond = 0;

    /** Attempts per page: 429, 5xx, timeouts and connection errors are retried, other 4xx are not. */
    private int maxAttempts = 6;

    /** First backoff between attempts; doubled each time, with jitter. */
    private Duration initialBackoff = Duration.ofMillis(500);

    /** Longest backoff between attempts. */
    private Duration maxBackoff = Duration.ofSeconds(30);

    /** Connect and request timeout. */
    private Duration timeout = Duration.ofSeconds(10);

    /** Longest wait honoured from a Retry-After header. */
    private Duration maxRetryAfter = Duration.ofMinutes(2);

    /** Redis holding the high-water marks (Spring Integration's RedisMetadataStore), e.g. redis://127.0.0.1:6379. */
    private String redisUri = "redis://127.0.0.1:6379";

    /** Longest wait for Kafka to acknowledge a poll's records before the mark is left where it was. */
    private Duration ackTimeout = Duration.ofSeconds(60);

    /** Credentials of the API. */
    public static class Auth {
        /** NONE, API_KEY_HEADER, API_KEY_QUERY, BEARER or BASIC. */
        private PagedApiClient.AuthKind kind = PagedApiClient.AuthKind.NONE;

        /** The API key's header or query parameter name, or the basic user. */
        private String name;

        /** Environment variable holding the secret (key, token or password); never logged. */
        private String secretEnv;

        /** File holding the secret (e.g. a Kubernetes secret mount); trailing newlines are dropped; never logged. */
        private String secretFile;

        PagedApiClient.Auth resolve() {
            if (kind == PagedApiClient.AuthKind.NONE) {
                return PagedApiClient.Auth.NONE;
            }
            String secret;
            if (secretEnv != null && !secretEnv.isBlank()) {
                secret = System.getenv(secretEnv);
                if (secret == null) {
                    throw new IllegalArgumentException("http-poll.auth.secret-env names " + secretEnv + ", which is not set");
                }
            } else if (secretFile != null && !secretFile.isBlank()) {
                try {
                    secret = Files.readString(Path.of(secretFile), StandardCharsets.UTF_8).strip();
                } catch (IOException e) {
                    throw new UncheckedIOException("http-poll.auth.secret-file " + secretFile + " cannot be read", e);
                }
            } else {
                throw new IllegalArgumentException("http-poll.auth.kind " + kind + " needs secret-env or secret-file");
            }
            if ((kind == PagedApiClient.AuthKind.API_KEY_HEADER || kind == PagedApiClient.AuthKind.API_KEY_QUERY
                    || kind == PagedApiClient.AuthKind.BASIC) && (name == null || name.isBlank())) {
                throw new IllegalArgumentException("http-poll.auth.kind " + kind + " needs http-poll.auth.name");
            }
            return new PagedApiClient.Auth(kind, name, secret);
        }

        public PagedApiClient.AuthKind getKind() { return kind; }
        public void setKind(PagedApiClient.AuthKind kind) { this.kind = kind; }
        public String getName() { return name; }
        public void setName(String name) { this.name = name; }
        public String getSecretEnv() { return secretEnv; }
        public void setSecretEnv(String secretEnv) { this.secretEnv = secretEnv; }
        public String getSecretFile() { return secretFile; }
        public void setSecretFile(String secretFile) { this.secretFile = secretFile; }
    }

    /** The URL with its variables filled in and the mark as given. */
    URI url(String mark) {
        if (url == null || url.isBlank()) {
            throw new IllegalArgumentException("http-poll.url is required");
        }
        String u = url;
        for (Map.Entry<String, String> v : urlVariables.entrySet()) {
            u = u.replace("{" + v.getKey() + "}", java.net.URLEncoder.encode(v.getValue(), StandardCharsets.UTF_8));
        }
        u = u.replace("{mark}", mark == null ? "" : java.net.URLEncoder.encode(mark, StandardCharsets.UTF_8));
        if (u.matches(".*\\{[A-Za-z0-9_-]+}.*")) {
            throw new IllegalArgumentException("http-poll.url " + url + " has a placeholder no url-variables entry fills");
        }
        return URI.create(u);
    }

    PagedApiClient.Settings settings(String mark) {
        PagedApiClient.Builder b = PagedApiClient.Settings.builder(url(mark)).method(method).auth(auth.resolve())
                .pagination(pagination).pageSize(pageSize).firstPage(firstPage).pageParam(pageParam).sizeParam(sizeParam)
                .offsetParam(offsetParam).limitParam(limitParam).cursorParam(cursorParam).itemsPath(recordsPath)
                .cursorPath(cursorPath).totalPagesPath(totalPagesPath).maxAttempts(maxAttempts)
                .initialBackoff(initialBackoff).maxBackoff(maxBackoff).timeout(timeout).maxRetryAfter(maxRetryAfter)
                .requestsPerSecond(requestsPerSecond)
                .keepRecordBytes(fields.isEmpty()); // unmapped records go out as the API sent them
        headers.forEach(b::header);
        return b.build();
    }

    public String getName() { return name; }
    public void setName(String name) { this.name = name; }
    public String getUrl() { return url; }
    public void setUrl(String url) { this.url = url; }
    public Map<String, String> getUrlVariables() { return urlVariables; }
    public void setUrlVariables(Map<String, String> urlVariables) { this.urlVariables = urlVariables; }
    public String getMethod() { return method; }
    public void setMethod(String method) { this.method = method; }
    public Map<String, String> getHeaders() { return headers; }
    public void setHeaders(Map<String, String> headers) { this.headers = headers; }
    public Auth getAuth() { return auth; }
    public PagedApiClient.Pagination getPagination() { return pagination; }
    public void setPagination(PagedApiClient.Pagination pagination) { this.pagination = pagination; }
    public int getPageSize() { return pageSize; }
    public void setPageSize(int pageSize) { this.pageSize = pageSize; }
    public int getFirstPage() { return firstPage; }
    public void setFirstPage(int firstPage) { this.firstPage = firstPage; }
    public String getPageParam() { return pageParam; }
    public void setPageParam(String pageParam) { this.pageParam = pageParam; }
    public String getSizeParam() { return sizeParam; }
    public void setSizeParam(String sizeParam) { this.sizeParam = sizeParam; }
    public String getOffsetParam() { return offsetParam; }
    public void setOffsetParam(String offsetParam) { this.offsetParam = offsetParam; }
    public String getLimitParam() { return limitParam; }
    public void setLimitParam(String limitParam) { this.limitParam = limitParam; }
    public String getCursorParam() { return cursorParam; }
    public void setCursorParam(String cursorParam) { this.cursorParam = cursorParam; }
    public String getRecordsPath() { return recordsPath; }
    public void setRecordsPath(String recordsPath) { this.recordsPath = recordsPath; }
    public String getCursorPath() { return cursorPath; }
    public void setCursorPath(String cursorPath) { this.cursorPath = cursorPath; }
    public String getTotalPagesPath() { return totalPagesPath; }
    public void setTotalPagesPath(String totalPagesPath) { this.totalPagesPath = totalPagesPath; }
    public Map<String, String> getFields() { return fields; }
    public void setFields(Map<String, String> fields) { this.fields = fields; }
    public String getKeyField() { return keyField; }
    public void setKeyField(String keyField) { this.keyField = keyField; }
    public HttpPoller.Resume getResume() { return resume; }
    public void setResume(HttpPoller.Resume resume) { this.resume = resume; }
    public String getMarkField() { return markField; }
    public void setMarkField(String markField) { this.markField = markField; }
    public Duration getFixedDelay() { return fixedDelay; }
    public void setFixedDelay(Duration fixedDelay) { this.fixedDelay = fixedDelay; }
    public int getMaxPagesPerPoll() { return maxPagesPerPoll; }
    public void setMaxPagesPerPoll(int maxPagesPerPoll) { this.maxPagesPerPoll = maxPagesPerPoll; }
    public double getRequestsPerSecond() { return requestsPerSecond; }
    public void setRequestsPerSecond(double requestsPerSecond) { this.requestsPerSecond = requestsPerSecond; }
    public int getMaxAttempts() { return maxAttempts; }
    public void setMaxAttempts(int maxAttempts) { this.maxAttempts = maxAttempts; }
    public Duration getInitialBackoff() { return initialBackoff; }
    public void setInitialBackoff(Duration initialBackoff) { this.initialBackoff = initialBackoff; }
    public Duration getMaxBackoff() { return maxBackoff; }
    public void setMaxBackoff(Duration maxBackoff) { this.maxBackoff = maxBackoff; }
    public Duration getTimeout() { return timeout; }
    public void setTimeout(Duration timeout) { this.timeout = timeout; }
    public Duration getMaxRetryAfter() { return maxRetryAfter; }
    public void setMaxRetryAfter(Duration maxRetryAfter) { this.maxRetryAfter = maxRetryAfter; }
    public String getRedisUri() { return redisUri; }
    public void setRedisUri(String redisUri) { this.redisUri = redisUri; }
    public Duration getAckTimeout() { return ackTimeout; }
    public void setAckTimeout(Duration ackTimeout) { this.ackTimeout = ackTimeout; }
}
