package io.streamlake.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import io.streamlake.core.event.CasinoEvent;
import io.streamlake.common.json.Json;
import io.streamlake.core.event.CasinoEventJson;
import io.streamlake.testsupport.Await;
import io.streamlake.testsupport.KafkaTestBroker;
import io.streamlake.testsupport.StreamAppProcess;
import io.streamlake.testsupport.TestFeatureDefinitions;
import io.streamlake.testsupport.TestRedis;
import io.streamlake.testsupport.TopicReader;
import io.streamlake.testsupport.UniqueNames;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.streamlake.testsupport.StreamAppProcess.args;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * casino-events | event-validator | feature-aggregator | redis-features, deployed as SCDF's local deployer would,
 * and the feature server answering from Redis: the served features equal a recomputation from the validated events.
 */
class CasinoFeaturesIT {

    private static final int EVENTS = 3000;

    @TempDir
    Path work;

    @Test
    void servedFeaturesEqualARecomputationFromTheValidatedEvents() throws Exception {
        String stream = UniqueNames.next("features");
        String project = UniqueNames.next("casino");
        Path definitions = TestFeatureDefinitions.withProject("io/streamlake/features/casino-features.yaml", project, work);
        List<String> common = List.of("--spring.cloud.stream.kafka.binder.brokers=" + KafkaTestBroker.bootstrapServers(),
                "--streamlake.dlq.destination=" + stream + ".dlq", "--spring.cloud.stream.kafka.binder.min-partition-count=2");
        String redisUri = "redis://" + TestRedis.host() + ":" + TestRedis.port();
        List<StreamAppProcess> apps = new ArrayList<>();
        try {
            StreamAppProcess sink = StreamAppProcess.start("redis-features", StreamAppProcess.appJar("sinks/redis-features",
                    "redis-features-sink"), work, args(common, "--spring.cloud.stream.bindings.input.destination=" + stream
                    + ".feature-aggregator", "--spring.cloud.stream.bindings.input.group=" + stream,
                    "--redis-features.uri=" + redisUri, "--redis-features.definitions=" + definitions));
            apps.add(sink);
            StreamAppProcess aggregator = StreamAppProcess.start("feature-aggregator", StreamAppProcess.appJar(
                    "processors/feature-aggregator", "feature-aggregator"), work, args(common,
                    "--spring.cloud.stream.bindings.input.destination=" + stream + ".event-validator",
                    "--spring.cloud.stream.bindings.input.group=" + stream,
                    "--spring.cloud.stream.bindings.output.destination=" + stream + ".feature-aggregator"));
            apps.add(aggregator);
            StreamAppProcess validator = StreamAppProcess.start("event-validator", StreamAppProcess.appJar(
                    "processors/event-validator", "event-validator"), work, args(common,
                    "--spring.cloud.stream.bindings.input.destination=" + stream + ".casino-events",
                    "--spring.cloud.stream.bindings.input.group=" + stream,
                    "--spring.cloud.stream.bindings.output.destination=" + stream + ".event-validator"));
            apps.add(validator);
            StreamAppProcess server = StreamAppProcess.start("feature-server", StreamAppProcess.appJar("serving/feature-server",
                    "feature-server"), work, List.of("--feature-server.redis-uri=" + redisUri,
                    "--feature-server.definitions=" + definitions));
            apps.add(server);
            for (StreamAppProcess app : apps) {
                app.awaitHealthy(Duration.ofMinutes(3));
            }
            StreamAppProcess source = StreamAppProcess.start("casino-events", StreamAppProcess.appJar("sources/casino-events",
                    "casino-events"), work, args(common, "--spring.cloud.stream.bindings.output.destination=" + stream
                    + ".casino-events", "--casino-events.events-per-second=2000", "--casino-events.max-events=" + EVENTS,
                    "--casino-events.customers=40"));
            apps.add(source);
            source.awaitHealthy(Duration.ofMinutes(3));

            // What the features must be: the validated events, recomputed in one pass (per customer in topic order).
            List<ConsumerRecord<byte[], byte[]>> validated = TopicReader.read(stream + ".event-validator", EVENTS, Duration.ofMinutes(2));
            assertThat(validated).hasSize(EVENTS);
            List<CasinoEvent> events = validated.stream().map(r -> CasinoEventJson.read(r.value())).toList();
            WindowRecomputation<CasinoEvent> byCustomer = new WindowRecomputation<>(events, CasinoEvent::customerId,
                    CasinoEvent::activityDatetime, Duration.ofMinutes(2));
            WindowRecomputation<CasinoEvent> byGame = new WindowRecomputation<>(events, CasinoEvent::gameId,
                    CasinoEvent::activityDatetime, Duration.ofMinutes(2));
            Map<String, Expected> expected = new LinkedHashMap<>();
            byCustomer.latest().forEach((c, at) -> expected.put(c, new Expected(at,
                    count(byCustomer.window(c, 60), "bet"), sum(byCustomer.window(c, 60), "bet", CasinoEvent::betAmount),
                    ggr(byCustomer.window(c, 1440)))));
            Map<String, Expected> expectedGames = new LinkedHashMap<>();
            byGame.latest().forEach((g, at) -> expectedGames.put(g, new Expected(at, count(byGame.window(g, 60), "bet"),
                    sum(byGame.window(g, 60), "bet", CasinoEvent::betAmount), ggr(byGame.window(g, 60)))));

            HttpClient http = HttpClient.newHttpClient();
            String customers = expected.keySet().stream().map(c -> "\"" + c + "\"").reduce((a, b) -> a + "," + b).orElseThrow();
            String request = "{\"features\": [\"customer_activity:bet_count_1h\", \"customer_activity:bet_sum_1h\","
                    + " \"customer_activity:ggr_24h\"], \"entities\": {\"customer_id\": [" + customers + "]}}";
            List<String> ids = new ArrayList<>(expected.keySet());
            Await.until(() -> {
                JsonNode body = post(http, server.port(), request);
                for (int i = 0; i < ids.size(); i++) {
                    String ts = body.at("/results/1/event_timestamps/" + i).asText();
                    if (!ts.equals(expected.get(ids.get(i)).at().toString())) {
                        return false;
                    }
                }
                return true;
            }, Duration.ofMinutes(2), "the served features to catch up with the stream");
            JsonNode body = post(http, server.port(), request);
            for (int i = 0; i < ids.size(); i++) {
                Expected row = expected.get(ids.get(i));
                assertThat(body.at("/results/1/statuses/" + i).asText()).isEqualTo("PRESENT");
                assertThat(body.at("/results/1/values/" + i).asLong()).isEqualTo(row.bets());
                assertThat(body.at("/results/2/values/" + i).asDouble()).isEqualTo(row.betSum().doubleValue());
                assertThat(body.at("/results/3/values/" + i).asDouble()).isEqualTo(row.ggr().doubleValue());
            }
            // game_stats: every game's served hour equals the recomputation too.
            List<String> gameIds = new ArrayList<>(expectedGames.keySet());
            String gameRequest = "{\"features\": [\"game_stats:bet_count_1h\", \"game_stats:ggr_1h\"], \"entities\": {\"game_id\": ["
                    + gameIds.stream().map(g -> "\"" + g + "\"").reduce((a, b) -> a + "," + b).orElseThrow() + "]}}";
            Await.until(() -> {
                JsonNode games = post(http, server.port(), gameRequest);
                for (int i = 0; i < gameIds.size(); i++) {
                    if (!games.at("/results/1/event_timestamps/" + i).asText()
                            .equals(expectedGames.get(gameIds.get(i)).at().toString())) {
                        return false;
                    }
                }
                return true;
            }, Duration.ofMinutes(1), "the served game stats to catch up");
            JsonNode games = post(http, server.port(), gameRequest);
            assertThat(gameIds).isNotEmpty();
            for (int i = 0; i < gameIds.size(); i++) {
                Expected row = expectedGames.get(gameIds.get(i));
                assertThat(games.at("/results/1/values/" + i).asLong()).isEqualTo(row.bets());
                assertThat(games.at("/results/2/values/" + i).asDouble()).isEqualTo(row.ggr().doubleValue());
            }
        } catch (AssertionError | RuntimeException e) {
            StreamAppProcess.printLogTails(apps, 40);
            throw e;
        } finally {
            apps.forEach(StreamAppProcess::close);
            TestRedis.deleteKeysEndingWith(project);
        }
    }

    /** An entity's recomputed features: its latest event time, bets and their sum, and GGR over the checked window. */
    private record Expected(Instant at, long bets, java.math.BigDecimal betSum, java.math.BigDecimal ggr) {
    }

    private static long count(List<CasinoEvent> events, String activity) {
        return events.stream().filter(e -> e.gameActivity().equals(activity)).count();
    }

    private static java.math.BigDecimal sum(List<CasinoEvent> events, String activity,
                                            java.util.function.Function<CasinoEvent, java.math.BigDecimal> amount) {
        return events.stream().filter(e -> e.gameActivity().equals(activity)).map(amount)
                .filter(java.util.Objects::nonNull).reduce(java.math.BigDecimal.ZERO, java.math.BigDecimal::add);
    }

    /** Stakes minus payouts and bonuses (bonuses of wins and of bonus events). */
    private static java.math.BigDecimal ggr(List<CasinoEvent> events) {
        java.math.BigDecimal bonus = sum(events, "win", CasinoEvent::bonusAmount).add(sum(events, "bonus", CasinoEvent::bonusAmount));
        return sum(events, "bet", CasinoEvent::betAmount).subtract(sum(events, "win", CasinoEvent::winAmount)).subtract(bonus);
    }

    private static JsonNode post(HttpClient http, int port, String request) {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/get-online-features"))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(request)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return Json.mapper().readTree(r.body());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
