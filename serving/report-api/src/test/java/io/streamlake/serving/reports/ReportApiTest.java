package io.streamlake.serving.reports;

import com.fasterxml.jackson.databind.JsonNode;
import io.streamlake.common.json.Json;
import io.streamlake.testsupport.TestClickHouse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import static org.assertj.core.api.Assertions.assertThat;

/** The report API over HTTP against reports in the embedded ClickHouse, a re-run of a minute included. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ReportApiTest {

    static final String DATABASE = reports();

    @LocalServerPort
    int port;

    static String reports() {
        String db = TestClickHouse.createDatabase("reports");
        TestClickHouse.shared().query(db, "CREATE TABLE interaction_reports (minute DateTime('UTC'), interaction_type"
                + " LowCardinality(String), events UInt64, errors UInt64, success_rate Float64, error_rate Float64, latency_p50 Float64,"
                + " latency_p95 Float64, latency_p99 Float64, error_rate_z Float64, latency_z Float64, score Float64, anomaly UInt8,"
                + " reason String, computed_at DateTime64(3, 'UTC')) ENGINE = ReplacingMergeTree(computed_at) ORDER BY (minute, interaction_type)");
        TestClickHouse.shared().query(db, "INSERT INTO interaction_reports VALUES"
                + " ('2026-12-01 10:00:00', 'checkout', 200, 6, 0.97, 0.03, 100, 400, 600, 0.1, 0.2, 0.2, 0, 'quiet', '2026-12-01 10:01:00'),"
                + " ('2026-12-01 10:01:00', 'checkout', 200, 80, 0.6, 0.4, 100, 400, 600, 12.5, 0.2, 12.5, 1, 'spike', '2026-12-01 10:02:00'),"
                + " ('2026-12-01 10:01:00', 'search', 300, 3, 0.99, 0.01, 90, 200, 300, 0.0, 0.1, 0.1, 0, 'quiet', '2026-12-01 10:02:00'),"
                // a re-run of 10:00 that changed its mind about checkout: the newer row wins
                + " ('2026-12-01 10:00:00', 'checkout', 200, 7, 0.965, 0.035, 100, 400, 600, 0.4, 0.2, 0.4, 0, 'rerun', '2026-12-01 10:05:00')");
        return db;
    }

    @DynamicPropertySource
    static void clickhouse(DynamicPropertyRegistry registry) {
        registry.add("report-api.clickhouse-url", () -> TestClickHouse.jdbcUrl(DATABASE));
    }

    @AfterAll
    static void drop() {
        TestClickHouse.shared().query("DROP DATABASE IF EXISTS " + DATABASE);
    }

    private HttpResponse<String> get(String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void theLatestMinuteAndARangeWithTheirAnomalies() throws Exception {
        HttpResponse<String> latest = get("/reports/latest");
        assertThat(latest.statusCode()).as(latest.body()).isEqualTo(200);
        JsonNode minute = Json.mapper().readTree(latest.body());
        assertThat(minute.get("minute").asText()).isEqualTo("2026-12-01T10:01:00Z");
        assertThat(minute.get("anomalies").toString()).isEqualTo("[\"checkout\"]");
        assertThat(minute.at("/types/0/error_rate").asDouble()).isEqualTo(0.4);
        assertThat(minute.get("types")).hasSize(2);

        JsonNode range = Json.mapper().readTree(get("/reports?from=2026-12-01T10:00:00Z&to=2026-12-01T10:02:00Z").body());
        assertThat(range.get("reports")).hasSize(2);
        assertThat(range.at("/reports/0/types/0/reason").asText()).isEqualTo("rerun");
        assertThat(range.at("/reports/0/anomalies")).isEmpty();

        assertThat(get("/reports?from=yesterday&to=2026-12-01T10:02:00Z").statusCode()).isEqualTo(400);
        assertThat(get("/reports?from=2026-12-01T00:00:00Z&to=2026-12-03T00:00:00Z").body()).contains("at most PT24H");
        assertThat(get("/reports?to=2026-12-01T10:02:00Z").body()).contains("'from' is required");
    }
}
