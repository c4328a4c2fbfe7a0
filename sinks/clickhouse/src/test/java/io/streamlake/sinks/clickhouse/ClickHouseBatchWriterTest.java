package io.streamlake.sinks.clickhouse;

import com.clickhouse.client.api.Client;
import com.clickhouse.client.api.insert.InsertResponse;
import com.clickhouse.client.api.insert.InsertSettings;
import com.clickhouse.data.ClickHouseFormat;
import io.streamlake.clickhouse.embedded.EmbeddedClickHouse;
import io.streamlake.testsupport.TestClickHouse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The writer against the real engine, on a non-casino table: any JSON events into any table. */
class ClickHouseBatchWriterTest {

    private String database;
    private Client client;

    @BeforeEach
    void setUp() {
        database = TestClickHouse.createDatabase("sink");
        TestClickHouse.shared().query(database, "CREATE TABLE readings (device_id String, reading_time DateTime64(3, 'UTC'),"
                + " temperature Decimal(9, 2), status LowCardinality(String) DEFAULT 'ok') ENGINE = MergeTree"
                + " ORDER BY (device_id, reading_time) SETTINGS non_replicated_deduplication_window = 1000");
        client = client(TestClickHouse.shared());
    }

    @AfterEach
    void tearDown() {
        client.close();
    }

    static Client client(EmbeddedClickHouse ch) {
        return new Client.Builder().addEndpoint(ch.httpUrl()).setUsername("default").setPassword("")
                .compressServerResponse(false).setMaxRetries(0).build();
    }

    private ClickHouseBatchWriter writer(Client c, Map<String, String> mapping) {
        return new ClickHouseBatchWriter((body, token) -> {
            InsertSettings s = new InsertSettings().setDatabase(database).setDeduplicationToken(token)
                    .serverSetting("input_format_skip_unknown_fields", "1")
                    .serverSetting("date_time_input_format", "best_effort");
            try (InsertResponse r = c.insert("readings", new ByteArrayInputStream(body), ClickHouseFormat.JSONEachRow, s)
                    .get(30, TimeUnit.SECONDS)) {
                // accepted
            }
        }, mapping);
    }

    private static SinkRecord record(long offset, String json) {
        return new SinkRecord("iot", 0, offset, null, json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void mapsFieldsToColumnsByNameOrRenameAndIgnoresExtraFields() throws Exception {
        List<SinkRecord> batch = List.of(
                record(1, "{\"device\":\"d1\",\"reading_time\":\"2026-11-23T10:00:00.250Z\",\"temperature\":21.5,\"extra\":[1]}"),
                record(2, "{\"device\":\"d2\",\"reading_time\":\"2026-11-23T10:00:01Z\",\"temperature\":-3.25,\"status\":\"warn\"}"));
        var outcome = writer(client, Map.of("device", "device_id")).write(batch);
        assertThat(outcome.written()).isEqualTo(2);
        assertThat(outcome.rejected()).isEmpty();
        assertThat(TestClickHouse.shared().query(database, "SELECT device_id, toUnixTimestamp64Milli(reading_time), temperature, status"
                + " FROM readings ORDER BY device_id")).isEqualTo("d1\t" + millis("2026-11-23T10:00:00.250Z") + "\t21.5\tok\nd2\t"
                + millis("2026-11-23T10:00:01Z") + "\t-3.25\twarn\n");
    }

    private static long millis(String instant) {
        return java.time.Instant.parse(instant).toEpochMilli();
    }

    @Test
    void rowsClickHouseRefusesAreIsolatedAndTheRestIsWritten() throws Exception {
        List<SinkRecord> batch = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            String temperature = i == 17 ? "\"hot\"" : i == 63 ? "{\"nested\":1}" : Integer.toString(i);
            batch.add(record(i, "{\"device_id\":\"d" + i + "\",\"reading_time\":\"2026-11-23T10:00:00Z\",\"temperature\":" + temperature + "}"));
        }
        batch.add(record(100, "not json at all"));
        var outcome = writer(client, Map.of()).write(batch);
        assertThat(outcome.written()).isEqualTo(98);
        assertThat(outcome.rejected()).extracting(r -> r.record().offset()).containsExactlyInAnyOrder(17L, 63L, 100L);
        assertThat(outcome.rejected()).allSatisfy(r -> assertThat(r.message()).contains("Code:"));
        assertThat(TestClickHouse.shared().query(database, "SELECT count(), sum(temperature) FROM readings").strip())
                .isEqualTo("98\t" + (4950 - 17 - 63) + "");
    }

    @Test
    void theSameBatchWrittenTwiceIsStoredOnce() throws Exception {
        List<SinkRecord> batch = List.of(
                record(7, "{\"device_id\":\"d\",\"reading_time\":\"2026-11-23T10:00:00Z\",\"temperature\":1}"),
                record(8, "{\"device_id\":\"d\",\"reading_time\":\"2026-11-23T10:00:01Z\",\"temperature\":2}"));
        ClickHouseBatchWriter writer = writer(client, Map.of());
        writer.write(batch);
        writer.write(batch); // e.g. a retry after the first response was lost
        assertThat(TestClickHouse.shared().query(database, "SELECT count() FROM readings").strip()).isEqualTo("2");
        writer.write(List.of(record(9, "{\"device_id\":\"d\",\"reading_time\":\"2026-11-23T10:00:02Z\",\"temperature\":3}")));
        assertThat(TestClickHouse.shared().query(database, "SELECT count() FROM readings").strip()).isEqualTo("3");
    }

    @Test
    void anUnavailableServerIsTransientNotARejection(@TempDir Path dir) throws Exception {
        EmbeddedClickHouse down = EmbeddedClickHouse.builder().dataDir(dir).build().start();
        Client c = client(down);
        try {
            down.stop();
            ClickHouseBatchWriter writer = writer(c, Map.of());
            assertThatThrownBy(() -> writer.write(List.of(record(1, "{\"device_id\":\"d\"}"))))
                    .isInstanceOf(ClickHouseBatchWriter.TransientWriteException.class);
        } finally {
            c.close();
            down.stop();
        }
    }

    @Test
    void tokensDependOnTheRecordsOffsets() {
        List<SinkRecord> a = List.of(record(1, "{}"), record(2, "{}"));
        assertThat(ClickHouseBatchWriter.token(a)).isEqualTo(ClickHouseBatchWriter.token(List.of(record(1, "{}"), record(2, "{}"))));
        assertThat(ClickHouseBatchWriter.token(a)).isNotEqualTo(ClickHouseBatchWriter.token(List.of(record(1, "{}"))));
    }

    @Test
    void headerFieldsGoBeforeTheRowsClosingBraceWithTheRowKeptAsItIs() {
        assertThat(new String(io.streamlake.common.json.Json.withFields("{\"a\": 1.50 }\n".getBytes(StandardCharsets.UTF_8),
                "\"ground_truth\":\"bet_spike\""), StandardCharsets.UTF_8))
                .isEqualTo("{\"a\": 1.50 ,\"ground_truth\":\"bet_spike\"}");
        assertThat(new String(io.streamlake.common.json.Json.withFields(" { }".getBytes(StandardCharsets.UTF_8),
                "\"g\":\"x\""), StandardCharsets.UTF_8)).isEqualTo(" { \"g\":\"x\"}");
        byte[] row = "{\"a\":1}".getBytes(StandardCharsets.UTF_8);
        assertThat(io.streamlake.common.json.Json.withFields(row, null)).isSameAs(row);
        assertThatThrownBy(() -> io.streamlake.common.json.Json.withFields("[1]".getBytes(StandardCharsets.UTF_8), "\"g\":\"x\""))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(io.streamlake.common.json.Json.quoted("a\"b\\c\n")).isEqualTo("\"a\\\"b\\\\c\\n\"");
    }
}
