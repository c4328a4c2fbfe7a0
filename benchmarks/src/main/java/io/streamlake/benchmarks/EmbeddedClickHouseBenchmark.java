package io.streamlake.benchmarks;

import io.streamlake.clickhouse.embedded.ChdbLibraryLocator;
import io.streamlake.clickhouse.embedded.EmbeddedClickHouse;
import io.streamlake.clickhouse.embedded.server.ChdbConnection;
import io.streamlake.clickhouse.embedded.server.ChdbLibrary;
import io.streamlake.clickhouse.embedded.server.ChdbResult;
import io.streamlake.clickhouse.embedded.server.InsertStream;

import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.UUID;

/**
 * Embedded ClickHouse over HTTP with clickhouse-jdbc, beside the same operation on the raw engine through
 * FFM in this JVM (no HTTP, no JDBC): the anchor. Insert rate for the text batch path (INSERT ... VALUES,
 * the driver's default) and the RowBinary path ({@code beta.row_binary_for_simple_insert}), and the
 * SELECT 1 round trip. Trials alternate subject and anchor so both see the same machine state.
 */
final class EmbeddedClickHouseBenchmark {

    private static final int ROWS = Integer.getInteger("bench.rows", 100_000);
    private static final int TRIALS = Integer.getInteger("bench.trials", 11);
    private static final int PINGS = Integer.getInteger("bench.roundtrips", 3000);
    private static final String COLUMNS = "event_id, customer_id, game, ts, bet, win, note";
    private static final String DDL = "CREATE TABLE bench.events (event_id UUID, customer_id UInt64,"
            + " game LowCardinality(String), ts DateTime64(3, 'UTC'), bet Decimal(18, 2), win Decimal(18, 2),"
            + " note String) ENGINE = MergeTree ORDER BY (customer_id, ts)";
    private static final DateTimeFormatter TS = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS")
            .withZone(ZoneOffset.UTC);

    private record Row(UUID eventId, long customerId, String game, long tsMillis, BigDecimal bet, BigDecimal win,
                       String note) {
    }

    private EmbeddedClickHouseBenchmark() {
    }

    static void run() throws Exception {
        List<Row> rows = generate(ROWS);
        Path root = Files.createTempDirectory("bench-clickhouse");
        Path lib = ChdbLibraryLocator.locate();
        System.out.printf("embedded ClickHouse benchmark: %d rows x %d trials, %d round trips, %d cores%n",
                ROWS, TRIALS, PINGS, Runtime.getRuntime().availableProcessors());

        try (EmbeddedClickHouse server = EmbeddedClickHouse.builder().dataDir(root.resolve("http")).build().start()) {
            server.query("CREATE DATABASE bench");
            server.query(DDL);
            ChdbLibrary library = ChdbLibrary.load(lib);
            Files.createDirectories(root.resolve("raw"));
            try (ChdbConnection raw = ChdbConnection.open(library, List.of("--path=" + root.resolve("raw")))) {
                raw.execute("CREATE DATABASE bench");
                raw.execute(DDL);

                double[] httpText = new double[TRIALS];
                double[] rawText = new double[TRIALS];
                double[] httpBinary = new double[TRIALS];
                double[] rawBinary = new double[TRIALS];
                double[] plainText = new double[TRIALS];
                double[] plainBinary = new double[TRIALS];
                Properties textProps = jdbcProps(false);
                Properties binaryProps = jdbcProps(true);
                // One warm-up round of each, not recorded.
                for (int trial = -1; trial < TRIALS; trial++) {
                    double a = rawInsert(raw, rows, false);
                    double b = jdbcInsert(server, textProps, rows);
                    double c = rawInsert(raw, rows, true);
                    double d = jdbcInsert(server, binaryProps, rows);
                    double e = plainHttpInsert(server, rows, false);
                    double f = plainHttpInsert(server, rows, true);
                    if (trial >= 0) {
                        plainText[trial] = e;
                        plainBinary[trial] = f;
                        rawText[trial] = a;
                        httpText[trial] = b;
                        rawBinary[trial] = c;
                        httpBinary[trial] = d;
                    }
                }
                double[] httpPing = jdbcRoundTrips(server);
                double[] rawPing = rawRoundTrips(raw);
                double[] plainPing = plainHttpRoundTrips(server);

                System.out.println();
                System.out.println("| operation | embedded ClickHouse over HTTP (clickhouse-jdbc) | raw engine through FFM (anchor) | ratio |");
                System.out.println("|---|---:|---:|---:|");
                row("insert, text batch (INSERT ... VALUES), rows/s", Stats.median(httpText), Stats.median(rawText), "%,.0f");
                row("insert, RowBinary batch, rows/s", Stats.median(httpBinary), Stats.median(rawBinary), "%,.0f");
                row("insert, VALUES text over plain HTTP (no JDBC), rows/s", Stats.median(plainText), Stats.median(rawText), "%,.0f");
                row("insert, RowBinary over plain HTTP (no JDBC), rows/s", Stats.median(plainBinary), Stats.median(rawBinary), "%,.0f");
                System.out.printf("| SELECT 1 round trip p50 / p99, µs | %.0f / %.0f | %.0f / %.0f | %.2f (p50 anchor / p50) |%n",
                        Stats.median(httpPing), Stats.percentile(httpPing, 99), Stats.median(rawPing),
                        Stats.percentile(rawPing, 99), Stats.median(rawPing) / Stats.median(httpPing));
                System.out.printf("| SELECT 1 round trip over plain HTTP (no JDBC) p50 / p99, µs | %.0f / %.0f | %.0f / %.0f | %.2f (p50 anchor / p50) |%n",
                        Stats.median(plainPing), Stats.percentile(plainPing, 99), Stats.median(rawPing),
                        Stats.percentile(rawPing, 99), Stats.median(rawPing) / Stats.median(plainPing));
                System.out.println();
                System.out.printf("text trials  http %s%n             raw  %s%n", fmt(httpText), fmt(rawText));
                System.out.printf("binary trials http %s%n              raw  %s%n", fmt(httpBinary), fmt(rawBinary));
                System.out.printf("plain HTTP trials text %s%n                  binary %s%n", fmt(plainText), fmt(plainBinary));
            }
        }
    }

    private static void row(String name, double subject, double anchor, String format) {
        System.out.printf("| %s | " + format + " | " + format + " | %.2f |%n", name, subject, anchor, subject / anchor);
    }

    private static String fmt(double[] values) {
        StringBuilder sb = new StringBuilder();
        for (double v : values) {
            sb.append(String.format("%,.0f ", v));
        }
        return sb.toString().strip();
    }

    private static Properties jdbcProps(boolean rowBinary) {
        Properties p = new Properties();
        p.setProperty("user", "default");
        p.setProperty("password", "");
        p.setProperty("beta.row_binary_for_simple_insert", Boolean.toString(rowBinary));
        return p;
    }

    /** rows/s of one JDBC PreparedStatement batch of all rows, from addBatch to executeBatch's return. */
    private static double jdbcInsert(EmbeddedClickHouse server, Properties props, List<Row> rows) throws Exception {
        server.query("TRUNCATE TABLE bench.events");
        long elapsed;
        try (Connection c = DriverManager.getConnection(server.jdbcUrl("bench"), props);
             PreparedStatement ps = c.prepareStatement("INSERT INTO events (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?)")) {
            long start = System.nanoTime();
            for (Row r : rows) {
                ps.setObject(1, r.eventId);
                ps.setLong(2, r.customerId);
                ps.setString(3, r.game);
                ps.setTimestamp(4, new Timestamp(r.tsMillis));
                ps.setBigDecimal(5, r.bet);
                ps.setBigDecimal(6, r.win);
                ps.setString(7, r.note);
                ps.addBatch();
            }
            ps.executeBatch();
            elapsed = System.nanoTime() - start;
        }
        check(Long.parseLong(server.query("SELECT count() FROM bench.events").strip()), rows.size());
        return rows.size() / (elapsed / 1e9);
    }

    private static final java.net.http.HttpClient HTTP = java.net.http.HttpClient.newBuilder()
            .version(java.net.http.HttpClient.Version.HTTP_1_1).build();

    /** rows/s of encoding the rows as the anchor does and POSTing them with the INSERT in the URL: server cost only. */
    private static double plainHttpInsert(EmbeddedClickHouse server, List<Row> rows, boolean rowBinary) throws Exception {
        server.query("TRUNCATE TABLE bench.events");
        long start = System.nanoTime();
        byte[] payload = rowBinary ? rowBinary(rows) : valuesText(rows);
        String sql = "INSERT INTO bench.events (" + COLUMNS + ") FORMAT " + (rowBinary ? "RowBinary" : "Values");
        var response = HTTP.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(server.httpUrl() + "/?query="
                        + java.net.URLEncoder.encode(sql, StandardCharsets.UTF_8)))
                .POST(java.net.http.HttpRequest.BodyPublishers.ofByteArray(payload)).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        long elapsed = System.nanoTime() - start;
        if (response.statusCode() != 200) {
            throw new IllegalStateException(response.body());
        }
        check(Long.parseLong(server.query("SELECT count() FROM bench.events").strip()), rows.size());
        return rows.size() / (elapsed / 1e9);
    }

    private static double[] plainHttpRoundTrips(EmbeddedClickHouse server) throws Exception {
        double[] micros = new double[PINGS];
        var request = java.net.http.HttpRequest.newBuilder(java.net.URI.create(server.httpUrl() + "/"))
                .header("X-ClickHouse-Format", "RowBinaryWithNamesAndTypes")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("SELECT 1")).build();
        for (int i = -PINGS / 10; i < PINGS; i++) {
            long start = System.nanoTime();
            var response = HTTP.send(request, java.net.http.HttpResponse.BodyHandlers.ofByteArray());
            if (response.statusCode() != 200 || response.body().length == 0) {
                throw new IllegalStateException("SELECT 1 failed: " + response.statusCode());
            }
            if (i >= 0) {
                micros[i] = (System.nanoTime() - start) / 1e3;
            }
        }
        return micros;
    }

    /** rows/s of encoding the same rows and streaming them into the engine through FFM. */
    private static double rawInsert(ChdbConnection raw, List<Row> rows, boolean rowBinary) {
        raw.execute("TRUNCATE TABLE bench.events");
        long start = System.nanoTime();
        byte[] payload = rowBinary ? rowBinary(rows) : valuesText(rows);
        try (InsertStream stream = raw.openInsert(("INSERT INTO bench.events (" + COLUMNS + ")")
                .getBytes(StandardCharsets.UTF_8), rowBinary ? "RowBinary" : "Values", Map.of())) {
            if (!stream.append(payload, 0, payload.length)) {
                throw new IllegalStateException(stream.error());
            }
            try (ChdbResult result = stream.done()) {
                if (result.error() != null) {
                    throw new IllegalStateException(result.error());
                }
            }
        }
        long elapsed = System.nanoTime() - start;
        try (ChdbResult count = raw.query("SELECT count() FROM bench.events".getBytes(StandardCharsets.UTF_8),
                "TabSeparated", Map.of())) {
            check(Long.parseLong(new String(count.bytes(), StandardCharsets.UTF_8).strip()), rows.size());
        }
        return rows.size() / (elapsed / 1e9);
    }

    private static void check(long actual, long expected) {
        if (actual != expected) {
            throw new IllegalStateException("expected " + expected + " rows, table has " + actual);
        }
    }

    private static double[] jdbcRoundTrips(EmbeddedClickHouse server) throws Exception {
        double[] micros = new double[PINGS];
        try (Connection c = DriverManager.getConnection(server.jdbcUrl("bench"), jdbcProps(false));
             Statement st = c.createStatement()) {
            for (int i = -PINGS / 10; i < PINGS; i++) {
                long start = System.nanoTime();
                try (ResultSet rs = st.executeQuery("SELECT 1")) {
                    if (!rs.next() || rs.getInt(1) != 1) {
                        throw new IllegalStateException("SELECT 1 returned something else");
                    }
                }
                if (i >= 0) {
                    micros[i] = (System.nanoTime() - start) / 1e3;
                }
            }
        }
        return micros;
    }

    private static double[] rawRoundTrips(ChdbConnection raw) {
        double[] micros = new double[PINGS];
        byte[] sql = "SELECT 1".getBytes(StandardCharsets.UTF_8);
        for (int i = -PINGS / 10; i < PINGS; i++) {
            long start = System.nanoTime();
            try (ChdbResult r = raw.query(sql, "RowBinaryWithNamesAndTypes", Map.of())) {
                if (r.error() != null || r.length() == 0) {
                    throw new IllegalStateException("SELECT 1 failed: " + r.error());
                }
            }
            if (i >= 0) {
                micros[i] = (System.nanoTime() - start) / 1e3;
            }
        }
        return micros;
    }

    private static List<Row> generate(int n) {
        Random random = new Random(42);
        String[] games = {"slots", "roulette", "blackjack", "poker", "sports", "baccarat"};
        long start = Instant.parse("2026-11-01T00:00:00Z").toEpochMilli();
        return java.util.stream.IntStream.range(0, n).mapToObj(i -> {
            BigDecimal bet = BigDecimal.valueOf(100 + random.nextInt(100_000), 2);
            BigDecimal win = random.nextInt(3) == 0 ? bet.multiply(BigDecimal.valueOf(random.nextInt(5))) : BigDecimal.ZERO;
            return new Row(new UUID(random.nextLong(), random.nextLong()), random.nextInt(50_000),
                    games[random.nextInt(games.length)], start + i * 13L, bet, win.setScale(2),
                    "session " + random.nextInt(1_000_000) + " it's \"ok\"");
        }).toList();
    }

    private static byte[] valuesText(List<Row> rows) {
        StringBuilder sb = new StringBuilder(rows.size() * 128);
        for (Row r : rows) {
            sb.append("('").append(r.eventId).append("',").append(r.customerId).append(",'").append(r.game)
                    .append("','").append(TS.format(Instant.ofEpochMilli(r.tsMillis))).append("',")
                    .append(r.bet.toPlainString()).append(',').append(r.win.toPlainString()).append(",'");
            escape(sb, r.note);
            sb.append("'),");
        }
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static void escape(StringBuilder sb, String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\'' || c == '\\') {
                sb.append('\\');
            }
            sb.append(c);
        }
    }

    private static byte[] rowBinary(List<Row> rows) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(rows.size() * 96);
        ByteBuffer b = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        for (Row r : rows) {
            writeLong(out, b, r.eventId.getMostSignificantBits());
            writeLong(out, b, r.eventId.getLeastSignificantBits());
            writeLong(out, b, r.customerId);
            writeString(out, r.game.getBytes(StandardCharsets.UTF_8));
            writeLong(out, b, r.tsMillis);
            writeLong(out, b, r.bet.unscaledValue().longValueExact());
            writeLong(out, b, r.win.unscaledValue().longValueExact());
            writeString(out, r.note.getBytes(StandardCharsets.UTF_8));
        }
        return out.toByteArray();
    }

    private static void writeLong(ByteArrayOutputStream out, ByteBuffer b, long v) {
        b.clear();
        b.putLong(v);
        out.write(b.array(), 0, 8);
    }

    private static void writeString(ByteArrayOutputStream out, byte[] s) {
        long n = s.length;
        do {
            byte v = (byte) (n & 0x7f);
            n >>>= 7;
            out.write(n != 0 ? v | 0x80 : v);
        } while (n != 0);
        out.write(s, 0, s.length);
    }
}
