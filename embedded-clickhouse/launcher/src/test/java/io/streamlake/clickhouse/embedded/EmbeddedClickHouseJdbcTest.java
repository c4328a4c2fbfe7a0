package io.streamlake.clickhouse.embedded;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** clickhouse-jdbc 0.9.4, unchanged, against the embedded ClickHouse server process. */
class EmbeddedClickHouseJdbcTest {

    private static EmbeddedClickHouse clickhouse;
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private String database;

    @BeforeAll
    static void startServer() throws Exception {
        clickhouse = EmbeddedClickHouse.builder().dataDir(Files.createTempDirectory("ch-jdbc-test")).build().start();
    }

    @AfterAll
    static void stopServer() {
        clickhouse.stop();
    }

    @BeforeEach
    void createDatabase() {
        database = "t_" + UUID.randomUUID().toString().replace("-", "");
        clickhouse.query("CREATE DATABASE " + database);
    }

    private Connection connect() throws SQLException {
        return DriverManager.getConnection(clickhouse.jdbcUrl(database), "default", "");
    }

    private Connection connect(Properties extra) throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", "default");
        p.setProperty("password", "");
        p.putAll(extra);
        return DriverManager.getConnection(clickhouse.jdbcUrl(database), p);
    }

    @Test
    void tableEnginesAndMaterializedViewsAggregateWhatWasInserted() throws Exception {
        try (Connection c = connect(); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE events (event_id UUID, customer_id UInt64, game LowCardinality(String),"
                    + " ts DateTime64(3, 'UTC'), bet Decimal(18, 2), win Decimal(18, 2))"
                    + " ENGINE = ReplacingMergeTree ORDER BY (event_id)");
            st.execute("CREATE TABLE game_minute (minute DateTime('UTC'), game LowCardinality(String),"
                    + " bets Decimal(38, 2), wins Decimal(38, 2), n UInt64)"
                    + " ENGINE = SummingMergeTree ORDER BY (minute, game)");
            st.execute("CREATE MATERIALIZED VIEW game_minute_mv TO game_minute AS SELECT toStartOfMinute(ts) AS minute,"
                    + " game, sum(bet) AS bets, sum(win) AS wins, count() AS n FROM events GROUP BY minute, game");
            st.execute("CREATE TABLE customer_stats (customer_id UInt64, games AggregateFunction(uniq, String),"
                    + " total_bet AggregateFunction(sum, Decimal(18, 2))) ENGINE = AggregatingMergeTree ORDER BY customer_id");
            st.execute("CREATE MATERIALIZED VIEW customer_stats_mv TO customer_stats AS SELECT customer_id,"
                    + " uniqState(toString(game)) AS games, sumState(bet) AS total_bet FROM events GROUP BY customer_id");
            st.execute("CREATE TABLE plain (k UInt32) ENGINE = MergeTree ORDER BY k");
        }
        String[] games = {"slots", "roulette", "poker"};
        BigDecimal expectedBets = BigDecimal.ZERO;
        try (Connection c = connect(); PreparedStatement ps = c.prepareStatement(
                "INSERT INTO events (event_id, customer_id, game, ts, bet, win) VALUES (?, ?, ?, ?, ?, ?)")) {
            for (int batch = 0; batch < 3; batch++) { // three inserts: parts that merges must combine
                for (int i = 0; i < 1000; i++) {
                    int n = batch * 1000 + i;
                    BigDecimal bet = BigDecimal.valueOf(n % 97 + 1, 2).add(BigDecimal.ONE);
                    ps.setObject(1, new UUID(0, n));
                    ps.setLong(2, n % 50);
                    ps.setString(3, games[n % 3]);
                    ps.setTimestamp(4, new Timestamp(1_700_000_000_000L + n * 1000L));
                    ps.setBigDecimal(5, bet);
                    ps.setBigDecimal(6, bet.multiply(BigDecimal.valueOf(n % 3)));
                    ps.addBatch();
                    expectedBets = expectedBets.add(bet);
                }
                ps.executeBatch();
            }
        }
        try (Connection c = connect(); Statement st = c.createStatement()) {
            assertThat(single(st, "SELECT sum(bets) FROM game_minute").getBigDecimal(1)).isEqualByComparingTo(expectedBets);
            // The summed table equals a recomputation from the raw rows, minute by minute.
            assertThat(single(st, "SELECT count() FROM (SELECT minute, game, sum(bets) b, sum(wins) w, sum(n) n"
                    + " FROM game_minute GROUP BY minute, game) a FULL OUTER JOIN (SELECT toStartOfMinute(ts) minute,"
                    + " game, sum(bet) b, sum(win) w, count() n FROM events GROUP BY minute, game) r"
                    + " USING (minute, game) WHERE a.b != r.b OR a.w != r.w OR a.n != r.n").getLong(1)).isZero();
            assertThat(single(st, "SELECT uniqMerge(games) FROM customer_stats WHERE customer_id = 7").getLong(1))
                    .isEqualTo(single(st, "SELECT uniqExact(game) FROM events WHERE customer_id = 7").getLong(1));
            assertThat(single(st, "SELECT sumMerge(total_bet) FROM customer_stats").getBigDecimal(1))
                    .isEqualByComparingTo(expectedBets);
            // Re-inserting an event id: ReplacingMergeTree keeps one row per event id once merged.
            st.execute("INSERT INTO events SELECT * FROM events WHERE customer_id = 1");
            assertThat(single(st, "SELECT count() FROM events FINAL").getLong(1)).isEqualTo(3000);
            st.execute("OPTIMIZE TABLE events FINAL");
            assertThat(single(st, "SELECT count() FROM events").getLong(1)).isEqualTo(3000);
            assertThat(single(st, "SELECT engine FROM system.tables WHERE database = currentDatabase() AND name = 'plain'")
                    .getString(1)).isEqualTo("MergeTree");
        }
    }

    @ParameterizedTest(name = "row_binary_for_simple_insert={0}")
    @ValueSource(booleans = {false, true})
    void preparedStatementBatchOf100kRowsReadsBackExactly(boolean rowBinary) throws Exception {
        try (Connection c = connect(); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE rows (id UInt64, kind LowCardinality(String), amount Decimal(18, 2),"
                    + " maybe Nullable(Int64), ts DateTime64(3, 'UTC'), note String) ENGINE = MergeTree ORDER BY id");
        }
        int rows = 100_000;
        String[] kinds = {"bet", "win", "bonus", "deposit", "withdrawal", "login", "logout"};
        BigDecimal amountSum = BigDecimal.ZERO;
        long idSum = 0;
        long tsSum = 0;
        long nulls = 0;
        long maybeSum = 0;
        Properties props = new Properties();
        props.setProperty("beta.row_binary_for_simple_insert", Boolean.toString(rowBinary));
        try (Connection c = connect(props); PreparedStatement ps = c.prepareStatement(
                "INSERT INTO rows (id, kind, amount, maybe, ts, note) VALUES (?, ?, ?, ?, ?, ?)")) {
            for (int i = 0; i < rows; i++) {
                long ts = 1_700_000_000_000L + i * 37L;
                BigDecimal amount = BigDecimal.valueOf(i * 13L % 100_000, 2);
                ps.setLong(1, i);
                ps.setString(2, kinds[i % kinds.length]);
                ps.setBigDecimal(3, amount);
                if (i % 10 == 0) {
                    ps.setNull(4, Types.BIGINT);
                    nulls++;
                } else {
                    ps.setLong(4, -i);
                    maybeSum -= i;
                }
                ps.setTimestamp(5, new Timestamp(ts));
                ps.setString(6, note(i));
                ps.addBatch();
                amountSum = amountSum.add(amount);
                idSum += i;
                tsSum += ts;
            }
            int[] counts = ps.executeBatch();
            assertThat(counts).hasSize(rows);
        }
        try (Connection c = connect(); Statement st = c.createStatement()) {
            ResultSet r = single(st, "SELECT count(), sum(id), sum(amount), countIf(maybe IS NULL), sum(maybe),"
                    + " sum(toUnixTimestamp64Milli(ts)), uniqExact(kind), toTypeName(kind) FROM rows");
            assertThat(r.getLong(1)).isEqualTo(rows);
            assertThat(r.getLong(2)).isEqualTo(idSum);
            assertThat(r.getBigDecimal(3)).isEqualByComparingTo(amountSum);
            assertThat(r.getLong(4)).isEqualTo(nulls);
            assertThat(r.getLong(5)).isEqualTo(maybeSum);
            assertThat(r.getLong(6)).isEqualTo(tsSum);
            assertThat(r.getLong(7)).isEqualTo(kinds.length);
            assertThat(r.getString(8)).isEqualTo("LowCardinality(String)");
            try (ResultSet notes = st.executeQuery("SELECT id, note, ts FROM rows WHERE id % 997 = 0 ORDER BY id")) {
                int checked = 0;
                while (notes.next()) {
                    long id = notes.getLong(1);
                    assertThat(notes.getString(2)).isEqualTo(note((int) id));
                    assertThat(notes.getTimestamp(3).getTime()).isEqualTo(1_700_000_000_000L + id * 37L);
                    checked++;
                }
                assertThat(checked).isEqualTo(rows / 997 + 1);
            }
        }
    }

    /** Text that needs escaping in every format on the way: quotes, backslashes, tabs, newlines, non-ASCII. */
    private static String note(int i) {
        return "it's a \\ \"quoted\"\ttab\nline ünïcødé 🎰 #" + i;
    }

    @Test
    void insertBodyWithBlankLinesAndBinaryZerosIsStoredWhole() throws Exception {
        clickhouse.query(database, "CREATE TABLE blobs (id UInt32, payload String) ENGINE = MergeTree ORDER BY id");
        clickhouse.query(database, "CREATE TABLE canary (x UInt8) ENGINE = MergeTree ORDER BY x");
        // Text that clickhouse-client style parsing would cut at the blank line and run the rest as SQL.
        String evil = "first\n\nDROP TABLE canary;\n\n\u0000zero\u0000bytes\n";
        byte[] binary = {0, 1, 2, 0, '\n', '\n', (byte) 0xff, 0};

        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes("INSERT INTO blobs FORMAT RowBinary\n".getBytes(StandardCharsets.US_ASCII));
        writeRowBinary(body, 1, evil.getBytes(StandardCharsets.UTF_8));
        writeRowBinary(body, 2, binary);
        HttpResponse<String> r = post("/?database=" + database, body.toByteArray());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);

        // The same through the query parameter, data only in the body.
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        writeRowBinary(data, 3, ("\n\n" + evil).getBytes(StandardCharsets.UTF_8));
        r = post("/?database=" + database + "&query=INSERT%20INTO%20blobs%20FORMAT%20RowBinary", data.toByteArray());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);

        // And inline VALUES text with blank lines inside a literal, as a plain client would send it.
        r = post("/?database=" + database, "INSERT INTO blobs VALUES (4, 'a\n\nDROP TABLE canary\n\nb')"
                .getBytes(StandardCharsets.UTF_8));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);

        try (Connection c = connect(); Statement st = c.createStatement()) {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO blobs (id, payload) VALUES (?, ?)")) {
                ps.setInt(1, 5);
                ps.setString(2, evil);
                ps.executeUpdate();
            }
            assertThat(single(st, "SELECT count() FROM canary").getLong(1)).isZero(); // still there
            // hex() on the server side: the bytes exactly as stored, whatever the driver does with String.
            ResultSet rs = st.executeQuery("SELECT id, hex(payload) FROM blobs ORDER BY id");
            List<String> payloads = new ArrayList<>();
            while (rs.next()) {
                payloads.add(rs.getString(2));
            }
            assertThat(payloads).containsExactly(
                    hex(evil.getBytes(StandardCharsets.UTF_8)),
                    hex(binary),
                    hex(("\n\n" + evil).getBytes(StandardCharsets.UTF_8)),
                    hex("a\n\nDROP TABLE canary\n\nb".getBytes(StandardCharsets.UTF_8)),
                    hex(evil.getBytes(StandardCharsets.UTF_8)));
        }
    }

    private static String hex(byte[] bytes) {
        return java.util.HexFormat.of().withUpperCase().formatHex(bytes);
    }

    private static void writeRowBinary(ByteArrayOutputStream out, int id, byte[] payload) {
        out.writeBytes(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(id).array());
        long n = payload.length; // String: LEB128 length, then the bytes
        do {
            byte b = (byte) (n & 0x7f);
            n >>>= 7;
            out.write(n != 0 ? b | 0x80 : b);
        } while (n != 0);
        out.writeBytes(payload);
    }

    @Test
    void sqlErrorsSurfaceAsSqlExceptionsWithTheServerMessage() throws Exception {
        try (Connection c = connect(); Statement st = c.createStatement()) {
            assertThatThrownBy(() -> st.executeQuery("SELECT * FROM no_such_table"))
                    .isInstanceOf(SQLException.class)
                    .hasMessageContaining("Code: 60")
                    .hasMessageContaining("UNKNOWN_TABLE");
            assertThatThrownBy(() -> st.execute("SELEC 1"))
                    .isInstanceOf(SQLException.class)
                    .hasMessageContaining("Syntax error");
            // The connection stays usable after errors.
            assertThat(single(st, "SELECT 40 + 2").getInt(1)).isEqualTo(42);
        }
        HttpResponse<String> r = post("/?database=" + database, "SELECT * FROM no_such_table".getBytes());
        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(r.headers().firstValue("X-ClickHouse-Exception-Code")).hasValue("60");
        assertThat(r.body()).contains("no_such_table");
        r = post("/?database=no_such_database_" + database, "SELECT 1".getBytes());
        assertThat(r.headers().firstValue("X-ClickHouse-Exception-Code")).hasValue("81");
    }

    @Test
    void moreThanOneStatementPerRequestIsRefused() throws Exception {
        clickhouse.query(database, "CREATE TABLE keep (x UInt8) ENGINE = MergeTree ORDER BY x");
        HttpResponse<String> r = post("/?database=" + database, "SELECT 1; DROP TABLE keep".getBytes());
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.headers().firstValue("X-ClickHouse-Exception-Code")).hasValue("62");
        assertThat(r.body()).contains("Multi-statements are not allowed");
        assertThat(clickhouse.query(database, "EXISTS TABLE keep").strip()).isEqualTo("1");
    }

    @Test
    void requestSettingsAndParametersApplyToThatRequestOnly() throws Exception {
        // More requests than pooled engine connections, alternating, so every connection is reused.
        for (int i = 0; i < 12; i++) {
            if (i % 2 == 0) {
                HttpResponse<String> r = post("/?max_block_size=1234&database=" + database,
                        "SELECT getSetting('max_block_size')".getBytes());
                assertThat(r.body().strip()).isEqualTo("1234");
            } else {
                HttpResponse<String> r = post("/?database=" + database, "SELECT getSetting('max_block_size')".getBytes());
                assertThat(r.body().strip()).isNotEqualTo("1234");
            }
        }
        HttpResponse<String> r = post("/?param_who=" + java.net.URLEncoder.encode("o'brien; DROP", StandardCharsets.UTF_8),
                "SELECT {who:String}".getBytes());
        assertThat(r.body().strip()).isEqualTo("o\\'brien; DROP");
        // A SET inside a request must not change later requests either.
        post("/", "SET max_block_size = 4321".getBytes());
        for (int i = 0; i < 8; i++) {
            assertThat(post("/", "SELECT getSetting('max_block_size')".getBytes()).body().strip()).isNotEqualTo("4321");
        }
    }

    @Test
    void requestsNamingNoDatabaseUseTheServersOwnDatabase() throws Exception {
        // Not chDB's "default", which maps the working directory's files as tables.
        assertThat(post("/", "SELECT currentDatabase()".getBytes()).body().strip()).isEqualTo("streamlake");
        assertThat(clickhouse.query("SELECT engine FROM system.databases WHERE name = 'streamlake'").strip())
                .isEqualTo("Atomic");
    }

    @Test
    void concurrentClientsInsertAndReadConsistently() throws Exception {
        clickhouse.query(database, "CREATE TABLE hits (client UInt32, n UInt32) ENGINE = MergeTree ORDER BY (client, n)");
        int clients = 6;
        int batches = 10;
        int batchSize = 500;
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        try {
            List<Future<Long>> results = new ArrayList<>();
            for (int client = 0; client < clients; client++) {
                int id = client;
                results.add(pool.submit(() -> {
                    try (Connection c = connect(); PreparedStatement ps = c.prepareStatement(
                            "INSERT INTO hits (client, n) VALUES (?, ?)"); Statement st = c.createStatement()) {
                        for (int b = 0; b < batches; b++) {
                            for (int i = 0; i < batchSize; i++) {
                                ps.setInt(1, id);
                                ps.setInt(2, b * batchSize + i);
                                ps.addBatch();
                            }
                            ps.executeBatch();
                            single(st, "SELECT count() FROM hits WHERE client = " + id);
                        }
                        return single(st, "SELECT count() FROM hits WHERE client = " + id).getLong(1);
                    }
                }));
            }
            for (Future<Long> f : results) {
                assertThat(f.get()).isEqualTo((long) batches * batchSize);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(clickhouse.query(database, "SELECT count(), uniqExact(client, n) FROM hits").strip())
                .isEqualTo((clients * batches * batchSize) + "\t" + (clients * batches * batchSize));
    }

    private static ResultSet single(Statement st, String sql) throws SQLException {
        ResultSet rs = st.executeQuery(sql);
        assertThat(rs.next()).as("a row from " + sql).isTrue();
        return rs;
    }

    private static HttpResponse<String> post(String pathAndQuery, byte[] body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(clickhouse.httpUrl() + pathAndQuery))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
