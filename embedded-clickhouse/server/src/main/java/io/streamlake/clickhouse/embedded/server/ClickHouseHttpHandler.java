package io.streamlake.clickhouse.embedded.server;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.GZIPInputStream;
import java.util.zip.InflaterInputStream;

/**
 * ClickHouse's HTTP interface over {@link ChdbEngine}: enough of it that clickhouse-jdbc (V2) and
 * plain HTTP clients work unchanged.
 * <ul>
 *   <li>{@code GET /ping} (and {@code GET /}) answer {@code Ok.}</li>
 *   <li>The SQL comes in the {@code query} URL parameter, the POST body, or both (parameter first, then body).</li>
 *   <li>An INSERT with VALUES or FORMAT data is split at the data, which goes to the engine's streaming
 *       insert unchanged; more than one statement in a request is refused, as ClickHouse does.</li>
 *   <li>Output format: {@code X-ClickHouse-Format} header, else {@code default_format}, else TabSeparated.</li>
 *   <li>{@code database} / {@code X-ClickHouse-Database}, {@code param_*} query parameters, and every other
 *       URL parameter as a setting for this request only.</li>
 *   <li>Errors: non-200 status, {@code X-ClickHouse-Exception-Code}, and the engine's text as the body.</li>
 * </ul>
 */
final class ClickHouseHttpHandler implements HttpHandler {

    private static final Set<String> NOT_SETTINGS = Set.of("query", "database", "default_format", "query_id", "user",
            "password", "quota_key", "compress", "decompress", "session_id", "session_timeout", "session_check",
            "buffer_size", "wait_end_of_query", "stacktrace", "role", "client_protocol_version", "with_stacktrace");

    private static final int NOT_IMPLEMENTED = 48;
    private static final int SYNTAX_ERROR = 62;
    private static final int TOO_LARGE_REQUEST = 1002;

    private final ChdbEngine engine;
    private final String defaultDatabase;
    private final long maxBodyBytes;
    private final String displayName;
    private final AtomicLong requests = new AtomicLong();

    ClickHouseHttpHandler(ChdbEngine engine, String defaultDatabase, long maxBodyBytes, String displayName) {
        this.engine = engine;
        this.defaultDatabase = defaultDatabase;
        this.maxBodyBytes = maxBodyBytes;
        this.displayName = displayName;
    }

    long requestCount() {
        return requests.get();
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        requests.incrementAndGet();
        try (exchange) {
            route(exchange);
        }
    }

    private void route(HttpExchange exchange) throws IOException {
        try {
            String path = exchange.getRequestURI().getPath();
            Map<String, String> params = parseQueryString(exchange.getRequestURI().getRawQuery());
            String method = exchange.getRequestMethod();
            if ("/ping".equals(path) || ("/".equals(path) && "GET".equals(method) && !params.containsKey("query"))) {
                sendText(exchange, 200, "Ok.\n");
                return;
            }
            if (!"/".equals(path)) {
                sendText(exchange, 404, "There is no handle " + path + "\n");
                return;
            }
            if (!"GET".equals(method) && !"POST".equals(method)) {
                sendText(exchange, 405, "Method " + method + " is not allowed\n");
                return;
            }
            execute(exchange, params);
        } catch (ChdbException e) {
            sendError(exchange, e, "");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            sendError(exchange, new ChdbException(394, "Code: 394. DB::Exception: Server is shutting down. (QUERY_WAS_CANCELLED)"), "");
        } catch (RuntimeException e) {
            sendError(exchange, new ChdbException(1001, "Code: 1001. DB::Exception: " + e + ". (STD_EXCEPTION)"), "");
        }
    }

    private void execute(HttpExchange exchange, Map<String, String> params) throws IOException, InterruptedException {
        Headers headers = exchange.getRequestHeaders();
        String queryId = firstNonBlank(params.get("query_id"), headers.getFirst("X-ClickHouse-Query-Id"),
                UUID.randomUUID().toString());
        if (isOn(params.get("compress")) || isOn(params.get("decompress"))) {
            throw new ChdbException(NOT_IMPLEMENTED, "Code: 48. DB::Exception: The embedded ClickHouse does not"
                    + " speak ClickHouse's compressed HTTP framing: connect with compress=false"
                    + " (jdbc:clickhouse://host:port/db?compress=false). (NOT_IMPLEMENTED)");
        }
        String database = firstNonBlank(params.get("database"), headers.getFirst("X-ClickHouse-Database"),
                defaultDatabase);
        String format = firstNonBlank(headers.getFirst("X-ClickHouse-Format"), params.get("default_format"),
                "TabSeparated");
        Map<String, String> settings = new LinkedHashMap<>();
        Map<String, String> queryParameters = new LinkedHashMap<>();
        for (Map.Entry<String, String> p : params.entrySet()) {
            if (p.getKey().startsWith("param_")) {
                queryParameters.put(p.getKey().substring("param_".length()), p.getValue());
            } else if (!NOT_SETTINGS.contains(p.getKey())) {
                settings.put(p.getKey(), p.getValue());
            }
        }

        InputStream body = requestBody(exchange);
        String urlQuery = params.get("query");
        byte[] statement;
        InputStream dataAfterStatement;
        if (urlQuery != null) {
            // ClickHouse reads the parameter, a newline, then the body, as one text.
            statement = (urlQuery + "\n").getBytes(StandardCharsets.UTF_8);
            dataAfterStatement = body;
        } else {
            statement = readAll(body);
            dataAfterStatement = InputStream.nullInputStream();
        }

        InsertStatementSplitter.InsertWithData insert = InsertStatementSplitter.split(statement, statement.length);
        ChdbEngine.Session session = engine.acquire();
        try {
            session.prepare(database, settings);
            if (insert != null) {
                insert(exchange, session, insert, statement, dataAfterStatement, queryParameters, format, queryId);
            } else {
                byte[] sql = urlQuery == null ? statement : concat(statement, readAll(dataAfterStatement));
                query(exchange, session, trimTrailing(sql), queryParameters, format, queryId);
            }
        } finally {
            engine.release(session);
        }
    }

    private void query(HttpExchange exchange, ChdbEngine.Session session, byte[] sql, Map<String, String> parameters,
                       String format, String queryId) throws IOException {
        QueryAnalysis analysis = session.connection().classify(sql);
        if (analysis.statementCount() > 1) {
            throw new ChdbException(SYNTAX_ERROR, "Code: 62. DB::Exception: Multi-statements are not allowed"
                    + " (found " + analysis.statementCount() + " statements). (SYNTAX_ERROR)");
        }
        if (analysis.queryClass() == QueryAnalysis.QueryClass.CONTROL) {
            session.forgetState();
        }
        try (ChdbResult result = session.connection().query(sql, format, parameters)) {
            String error = result.error();
            if (error != null) {
                sendError(exchange, new ChdbException(error), queryId);
                return;
            }
            Headers out = successHeaders(exchange, format, queryId, result);
            out.set("Content-Type", contentType(format));
            long length = result.length();
            exchange.sendResponseHeaders(200, length == 0 ? -1 : length);
            if (length > 0) {
                try (OutputStream os = exchange.getResponseBody()) {
                    result.writeTo(os);
                }
            }
        }
    }

    private void insert(HttpExchange exchange, ChdbEngine.Session session, InsertStatementSplitter.InsertWithData insert,
                        byte[] statement, InputStream more, Map<String, String> parameters, String format,
                        String queryId) throws IOException {
        try (InsertStream stream = session.connection().openInsert(insert.header(), insert.format(), parameters)) {
            String error = stream.error();
            if (error == null) {
                int inlineLength = statement.length - insert.dataOffset();
                boolean ok = inlineLength <= 0 || stream.append(statement, insert.dataOffset(), inlineLength);
                byte[] buffer = new byte[4 << 20];
                int n;
                while (ok && (n = more.readNBytes(buffer, 0, buffer.length)) > 0) {
                    ok = stream.append(buffer, 0, n);
                }
                if (!ok) {
                    error = stream.error();
                }
            }
            if (error != null) {
                sendError(exchange, new ChdbException(error), queryId);
                return;
            }
            try (ChdbResult result = stream.done()) {
                error = result.error();
                if (error != null) {
                    sendError(exchange, new ChdbException(error), queryId);
                    return;
                }
                Headers out = successHeaders(exchange, format, queryId, result);
                out.set("Content-Type", contentType(format));
                exchange.sendResponseHeaders(200, -1);
            }
        }
    }

    private Headers successHeaders(HttpExchange exchange, String format, String queryId, ChdbResult result) {
        Headers out = exchange.getResponseHeaders();
        out.set("X-ClickHouse-Query-Id", queryId);
        out.set("X-ClickHouse-Format", format);
        out.set("X-ClickHouse-Timezone", engine.timezone());
        out.set("X-ClickHouse-Server-Display-Name", displayName);
        out.set("X-ClickHouse-Summary", "{\"read_rows\":\"" + result.storageRowsRead()
                + "\",\"read_bytes\":\"" + result.storageBytesRead()
                + "\",\"written_rows\":\"" + result.rowsWritten()
                + "\",\"written_bytes\":\"" + result.bytesWritten()
                + "\",\"total_rows_to_read\":\"" + result.storageRowsRead()
                + "\",\"result_rows\":\"" + result.resultRows()
                + "\",\"result_bytes\":\"" + result.resultBytes()
                + "\",\"elapsed_ns\":\"" + (long) (result.elapsedSeconds() * 1e9) + "\"}");
        out.set("Keep-Alive", "timeout=30");
        return out;
    }

    private void sendError(HttpExchange exchange, ChdbException e, String queryId) {
        try {
            Headers out = exchange.getResponseHeaders();
            out.set("X-ClickHouse-Exception-Code", Integer.toString(e.code()));
            if (!queryId.isEmpty()) {
                out.set("X-ClickHouse-Query-Id", queryId);
            }
            out.set("X-ClickHouse-Server-Display-Name", displayName);
            String message = e.getMessage().endsWith("\n") ? e.getMessage() : e.getMessage() + "\n";
            sendText(exchange, httpStatus(e.code()), message);
        } catch (IOException | RuntimeException ignored) {
            // The client went away; nothing left to tell it.
        }
    }

    /** The HTTP status ClickHouse's server gives the same error code. */
    static int httpStatus(int code) {
        return switch (code) {
            case 516 -> 401; // AUTHENTICATION_FAILED
            case 164, 497 -> 403; // READONLY, ACCESS_DENIED
            case 46, 47, 50, 56, 60, 63, 73, 81, 115 -> 404; // UNKNOWN_* (function, identifier, type, storage, table,
            // aggregate function, format, database, setting)
            case 6, 25, 26, 27, 32, 33, 36, 38, 41, 53, 62, 69, 70, 72, 117, 167, 168, 306 -> 400; // parse and argument errors
            case 159, 394 -> 408; // TIMEOUT_EXCEEDED, QUERY_WAS_CANCELLED
            case TOO_LARGE_REQUEST -> 413;
            default -> 500;
        };
    }

    private InputStream requestBody(HttpExchange exchange) throws IOException {
        InputStream in = exchange.getRequestBody();
        String encoding = exchange.getRequestHeaders().getFirst("Content-Encoding");
        if (encoding == null || encoding.isBlank() || encoding.equalsIgnoreCase("identity")) {
            return in;
        }
        return switch (encoding.toLowerCase(Locale.ROOT)) {
            case "gzip" -> new GZIPInputStream(in);
            case "deflate" -> new InflaterInputStream(in);
            default -> throw new ChdbException(NOT_IMPLEMENTED, "Code: 48. DB::Exception: Content-Encoding "
                    + encoding + " is not supported by the embedded ClickHouse. (NOT_IMPLEMENTED)");
        };
    }

    private byte[] readAll(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[64 * 1024];
        long total = 0;
        int n;
        while ((n = in.read(buffer)) > 0) {
            total += n;
            if (total > maxBodyBytes) {
                throw new ChdbException(TOO_LARGE_REQUEST, "Code: 1002. DB::Exception: The statement is larger"
                        + " than " + maxBodyBytes + " bytes; send INSERT data with the query in the URL"
                        + " (it is then streamed). (TOO_LARGE_REQUEST)");
            }
            out.write(buffer, 0, n);
        }
        return out.toByteArray();
    }

    private static byte[] trimTrailing(byte[] sql) {
        int end = sql.length;
        while (end > 0 && (sql[end - 1] == ' ' || sql[end - 1] == '\n' || sql[end - 1] == '\r' || sql[end - 1] == '\t')) {
            end--;
        }
        return end == sql.length ? sql : java.util.Arrays.copyOf(sql, end);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        if (b.length == 0) {
            return a;
        }
        byte[] all = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }

    static Map<String, String> parseQueryString(String rawQuery) {
        Map<String, String> params = new LinkedHashMap<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return params;
        }
        for (String pair : rawQuery.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            params.put(key, value);
        }
        return params;
    }

    private static String contentType(String format) {
        String f = format.toLowerCase(Locale.ROOT);
        if (f.startsWith("json")) {
            return "application/json; charset=UTF-8";
        }
        if (f.startsWith("tabseparated") || f.startsWith("tsv") || f.startsWith("csv") || f.startsWith("pretty")) {
            return "text/plain; charset=UTF-8";
        }
        return "application/octet-stream";
    }

    private static void sendText(HttpExchange exchange, int status, String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=UTF-8");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream os = exchange.getResponseBody()) {
            os.write(bytes);
        }
    }

    private static boolean isOn(String value) {
        return value != null && (value.equals("1") || value.equalsIgnoreCase("true"));
    }

    private static String firstNonBlank(String... values) {
        for (String v : values) {
            if (v != null && !v.isBlank()) {
                return v;
            }
        }
        return null;
    }
}
