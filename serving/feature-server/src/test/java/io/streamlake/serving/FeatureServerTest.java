package io.streamlake.serving;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lettuce.core.RedisURI;
import io.streamlake.process.ServerProcess;
import io.streamlake.features.feast.EntityKey;
import io.streamlake.features.feast.FeastValue;
import io.streamlake.features.redis.FeastRedisWriter;
import io.streamlake.features.row.FeatureRow;
import io.streamlake.features.registry.FeatureRegistryLoader;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The feature server over HTTP against a Redis process of its own (which the test stops and starts). */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "feature-server.api-key=s3cret")
@AutoConfigureObservability // tests switch metrics export off by default; the latency histogram is part of the contract
class FeatureServerTest {

    static final int REDIS_PORT = ServerProcess.freeLoopbackPort();
    static ServerProcess redis = startRedis();
    static final HttpClient HTTP = HttpClient.newHttpClient();
    static final ObjectMapper JSON = new ObjectMapper();

    @LocalServerPort
    int port;


    static ServerProcess startRedis() {
        try {
            Path dir = Files.createTempDirectory("feature-server-redis");
            return ServerProcess.start("redis", List.of("redis-server", "--bind", "127.0.0.1", "--port",
                            Integer.toString(REDIS_PORT), "--save", "", "--appendonly", "no"), dir, dir.resolve("redis.log"))
                    .awaitReady(() -> {
                        try (Socket s = new Socket("127.0.0.1", REDIS_PORT)) {
                            return true;
                        } catch (IOException e) {
                            return false;
                        }
                    }, Duration.ofSeconds(20));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @DynamicPropertySource
    static void redisUri(DynamicPropertyRegistry registry) {
        registry.add("feature-server.redis-uri", () -> "redis://127.0.0.1:" + REDIS_PORT);
    }

    @AfterAll
    static void stopRedis() {
        redis.stop(Duration.ofSeconds(5));
    }

    private HttpResponse<String> post(String body, String apiKey) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/get-online-features"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        if (apiKey != null) {
            request.header("X-API-Key", apiKey);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private void writeRows() {
        try (FeastRedisWriter writer = new FeastRedisWriter(RedisURI.create("redis://127.0.0.1:" + REDIS_PORT),
                FeatureRegistryLoader.casino().project(), Duration.ZERO, Duration.ofSeconds(5))) {
            writer.write(List.of(new FeatureRow("customer_activity", EntityKey.of("customer_id", FeastValue.ofString("C1")),
                    Instant.parse("2099-01-01T00:00:00Z"), Map.of("bet_count_5m", FeastValue.ofInt64(3),
                            "ggr_5m", FeastValue.ofDouble(-2.5)))));
        }
    }

    @Test
    void answersInFeastsShapeWithValuesStatusesAndTimestamps() throws Exception {
        writeRows();
        HttpResponse<String> r = post("{\"features\": [\"customer_activity:bet_count_5m\", \"customer_activity:ggr_5m\"],"
                + " \"entities\": {\"customer_id\": [\"C1\", \"C404\"]}, \"full_feature_names\": true}", "s3cret");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(JSON.readTree(r.body())).isEqualTo(JSON.readTree("""
                {"metadata": {"feature_names": ["customer_id", "customer_activity__bet_count_5m", "customer_activity__ggr_5m"]},
                 "results": [
                   {"values": ["C1", "C404"], "statuses": ["PRESENT", "PRESENT"],
                    "event_timestamps": ["1970-01-01T00:00:00Z", "1970-01-01T00:00:00Z"]},
                   {"values": [3, null], "statuses": ["PRESENT", "NOT_FOUND"],
                    "event_timestamps": ["2099-01-01T00:00:00Z", "1970-01-01T00:00:00Z"]},
                   {"values": [-2.5, null], "statuses": ["PRESENT", "NOT_FOUND"],
                    "event_timestamps": ["2099-01-01T00:00:00Z", "1970-01-01T00:00:00Z"]}]}
                """));
    }

    @Test
    void aFeatureServiceStandsForItsFeatures() throws Exception {
        writeRows();
        HttpResponse<String> r = post("{\"feature_service\": \"fraud_detection\", \"entities\": {\"customer_id\": [\"C1\"]}}", "s3cret");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode body = JSON.readTree(r.body());
        assertThat(body.at("/metadata/feature_names/1").asText()).isEqualTo("bet_count_5m");
        assertThat(body.at("/results/1/values/0").asLong()).isEqualTo(3);
        assertThat(body.at("/metadata/feature_names").size()).isEqualTo(8); // the entity and 7 features
        assertError(post("{\"feature_service\": \"nope\", \"entities\": {\"customer_id\": [\"C1\"]}}", "s3cret"), 400,
                "unknown feature service 'nope'");
    }

    @Test
    void badRequestsGetA4xxWithAClearMessage() throws Exception {
        assertError(post("{\"features\": [\"nope:x\"], \"entities\": {\"customer_id\": [\"C1\"]}}", "s3cret"), 400,
                "unknown feature view 'nope'");
        assertError(post("{\"features\": [\"customer_activity:x\"], \"entities\": {\"customer_id\": [\"C1\"]}}", "s3cret"), 400,
                "has no feature 'x'");
        assertError(post("{\"features\": [\"customer_activity:ggr_5m\"], \"entities\": {\"customer_id\": [42]}}", "s3cret"), 400,
                "takes strings");
        assertError(post("{}", "s3cret"), 400, "'features' must be a non-empty list");
        assertError(post("{\"features\": [\"customer_activity:ggr_5m\"]", "s3cret"), 400, "not valid JSON");
        String many = "[" + "\"C\",".repeat(1500) + "\"C\"]";
        assertError(post("{\"features\": [\"customer_activity:ggr_5m\"], \"entities\": {\"customer_id\": " + many + "}}", "s3cret"),
                413, "at most 1000");
        assertError(post("{\"features\": [\"customer_activity:ggr_5m\"], \"entities\": {\"customer_id\": [\"C1\"]}}", null), 401,
                "API key");
        assertError(post("{\"features\": [\"customer_activity:ggr_5m\"], \"entities\": {\"customer_id\": [\"C1\"]}}", "wrong"), 401,
                "API key");
    }

    @Test
    void redisDownIs503AndTheServerRecoversWhenItReturns() throws Exception {
        String request = "{\"features\": [\"customer_activity:ggr_5m\"], \"entities\": {\"customer_id\": [\"C1\"]}}";
        redis.stop(Duration.ofSeconds(5));
        try {
            assertError(post(request, "s3cret"), 503, "online store is unavailable");
        } finally {
            redis = startRedis();
        }
        long deadline = System.currentTimeMillis() + 30_000;
        HttpResponse<String> r = post(request, "s3cret");
        while (r.statusCode() != 200 && System.currentTimeMillis() < deadline) {
            Thread.sleep(200);
            r = post(request, "s3cret");
        }
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        String metrics = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/prometheus")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        assertThat(metrics).contains("feature_server_get_online_features_seconds_bucket");
    }

    private static void assertError(HttpResponse<String> r, int status, String message) throws Exception {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        JsonNode body = JSON.readTree(r.body());
        assertThat(body.path("error").asText()).contains(message);
    }
}
