package io.streamlake.sources.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.streamlake.common.json.Json;
import io.streamlake.demo.DemoApis;
import io.streamlake.stream.DeadLetterHeaders;
import io.streamlake.stream.WriteHealth;
import io.streamlake.testsupport.Await;
import io.streamlake.testsupport.KafkaTestBroker;
import io.streamlake.testsupport.TestRedis;
import io.streamlake.testsupport.TopicReader;
import io.streamlake.testsupport.UniqueNames;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The source on the real binder and broker against the demo APIs over HTTP, its marks in the machine's Redis: page,
 * cursor and Link paging, a restart resuming from the mark with no gap and no duplicate, retried faults, a body that
 * is not JSON in the DLQ with its URL, and a refused key turning the health DOWN.
 */
class HttpPollStreamTest {

    private DemoApis apis;
    private final List<ConfigurableApplicationContext> apps = new ArrayList<>();
    private final String dlq = KafkaTestBroker.createTopic("http_poll_dlq", 1);

    @AfterEach
    void stop() {
        apps.forEach(ConfigurableApplicationContext::close);
        if (apis != null) {
            apis.close();
        }
    }

    private ConfigurableApplicationContext start(String out, String name, String... args) {
        List<String> all = new ArrayList<>(List.of(
                "--spring.cloud.stream.kafka.binder.brokers=" + KafkaTestBroker.bootstrapServers(),
                "--spring.cloud.stream.bindings.output.destination=" + out,
                "--streamlake.dlq.destination=" + dlq,
                "--http-poll.name=" + name,
                "--http-poll.redis-uri=redis://" + TestRedis.host() + ":" + TestRedis.port(),
                "--http-poll.fixed-delay=200ms", "--http-poll.initial-backoff=50ms", "--http-poll.max-backoff=200ms"));
        all.addAll(List.of(args));
        ConfigurableApplicationContext app = new SpringApplicationBuilder(HttpPollApplication.class)
                .web(WebApplicationType.NONE).run(all.toArray(String[]::new));
        apps.add(app);
        return app;
    }

    private static List<JsonNode> records(String topic, int atLeast) {
        List<JsonNode> records = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : TopicReader.read(topic, atLeast, Duration.ofSeconds(60))) {
            try {
                records.add(Json.mapper().readTree(r.value()));
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            }
        }
        return records;
    }

    private void fault(String json) throws Exception {
        HttpClient.newHttpClient().send(HttpRequest.newBuilder(apis.url("/faults"))
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The random users' nested JSON as the flat user-profile contract wants it (the user-profiles pipeline's mapping). */
    static final String[] PROFILE_FIELDS = {"--http-poll.fields.user_id=/login/uuid", "--http-poll.fields.username=/login/username",
            "--http-poll.fields.gender=/gender", "--http-poll.fields.first_name=/name/first", "--http-poll.fields.last_name=/name/last",
            "--http-poll.fields.email=/email", "--http-poll.fields.date_of_birth=/dob/date", "--http-poll.fields.age=/dob/age",
            "--http-poll.fields.phone=/phone", "--http-poll.fields.city=/location/city", "--http-poll.fields.country=/location/country",
            "--http-poll.fields.postcode=/location/postcode", "--http-poll.fields.nationality=/nat",
            "--http-poll.fields.registered_at=/registered/date",
            "--http-poll.fields.street={/location/street/number} {/location/street/name}"};

    @Test
    void usersByPageNumberKeyedByTheirUuidWithTheirUrl() throws Exception {
        apis = DemoApis.start(new DemoApis.Settings(0, 120, Instant.now(), 0, 100, null));
        String out = KafkaTestBroker.createTopic("users", 2);
        List<String> args = new ArrayList<>(List.of("--http-poll.url=" + apis.url("/api/users?seed=demo"),
                "--http-poll.size-param=results", "--http-poll.page-size=50", "--http-poll.records-path=/results",
                "--http-poll.key-field=/login/uuid"));
        args.addAll(List.of(PROFILE_FIELDS));
        start(out, UniqueNames.next("users"), args.toArray(String[]::new));
        io.streamlake.core.contract.Contract profiles = io.streamlake.core.contract.ContractRepository.at("")
                .get("user-profile", io.streamlake.core.contract.ContractRepository.LATEST);
        io.streamlake.core.contract.ContractChecks checks = new io.streamlake.core.contract.ContractChecks(profiles,
                java.time.Clock.systemUTC());
        List<ConsumerRecord<byte[], byte[]>> got = TopicReader.read(out, 120, Duration.ofSeconds(60));
        assertThat(got).hasSize(120);
        Set<String> keys = new HashSet<>();
        for (ConsumerRecord<byte[], byte[]> r : got) {
            JsonNode user = Json.mapper().readTree(r.value());
            assertThat(new String(r.key(), StandardCharsets.UTF_8)).isEqualTo(user.get("user_id").asText());
            assertThat(TopicReader.header(r, "x-source-url")).contains("/api/users?seed=demo&page=");
            assertThat(user.get("street").asText()).matches("[0-9]+ [A-Za-z]+ Street");
            // flat, as the user-profile contract wants it: every record passes the contract's checks
            checks.check(new io.streamlake.core.contract.ContractJson(profiles).read(r.value()));
            keys.add(user.get("user_id").asText());
        }
        assertThat(keys).hasSize(120);
        Thread.sleep(1000); // more polls: nothing new, nothing sent again
        assertThat(TopicReader.read(out, 121, Duration.ofSeconds(2))).hasSize(120);
    }

    @Test
    void aRestartResumesFromTheMarkWithNoGapAndNoDuplicateThroughFaults() throws Exception {
        apis = DemoApis.start(new DemoApis.Settings(0, 0, Instant.now(), 250, 1000, "k3y"));
        Path secret = Files.createTempFile("api-key", ".txt");
        Files.writeString(secret, "k3y\n");
        String out = KafkaTestBroker.createTopic("transactions", 2);
        String name = UniqueNames.next("transactions");
        String[] args = {"--http-poll.url=" + apis.url("/api/transactions"), "--http-poll.pagination=CURSOR",
                "--http-poll.page-size=100", "--http-poll.key-field=/account_id", "--http-poll.auth.kind=API_KEY_HEADER",
                "--http-poll.auth.name=X-API-Key", "--http-poll.auth.secret-file=" + secret};
        ConfigurableApplicationContext first = start(out, name, args);
        assertThat(records(out, 250)).hasSize(250);
        first.close();
        // new transactions while the source is down, and faults it must ride through when it comes back
        HttpClient.newHttpClient().send(HttpRequest.newBuilder(apis.url("/api/transactions/append?count=130"))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        fault("{\"path\": \"/api/transactions\", \"kind\": \"status\", \"status\": 429, \"retry_after\": \"1\"}");
        fault("{\"path\": \"/api/transactions\", \"kind\": \"status\", \"status\": 503, \"times\": 2}");
        fault("{\"path\": \"/api/transactions\", \"kind\": \"malformed\"}");
        start(out, name, args);
        List<JsonNode> all = records(out, 380);
        assertThat(all).hasSize(380);
        assertThat(all.stream().map(t -> t.get("transaction_id").asText()).distinct()).hasSize(380);
        Thread.sleep(1000);
        assertThat(TopicReader.read(out, 381, Duration.ofSeconds(2))).hasSize(380);
        List<ConsumerRecord<byte[], byte[]>> dead = TopicReader.read(dlq, 1, Duration.ofSeconds(30));
        assertThat(dead).hasSize(1);
        assertThat(TopicReader.header(dead.get(0), DeadLetterHeaders.REASON)).isEqualTo("MALFORMED_JSON");
        assertThat(TopicReader.header(dead.get(0), DeadLetterHeaders.ORIGINAL_TOPIC)).contains("/api/transactions?limit=100");
        assertThat(new String(dead.get(0).value(), StandardCharsets.UTF_8)).startsWith("<html>");
    }

    @Test
    void weatherByOffsetThroughASlowAnswerAndABarrageOfBadBodiesIntoTheDlq() throws Exception {
        apis = DemoApis.start(new DemoApis.Settings(0, 0, Instant.now().truncatedTo(ChronoUnit.HOURS).minus(Duration.ofHours(39)),
                10, 1000, null));
        String path = "/api/weather";
        // first a slow answer (beyond the timeout: retried), then one bad body of each kind, each ending a poll
        fault("{\"path\": \"" + path + "\", \"kind\": \"slow\", \"delay_ms\": 1500}");
        for (String kind : List.of("malformed", "truncated", "empty", "no_records")) {
            fault("{\"path\": \"" + path + "\", \"kind\": \"" + kind + "\"}");
        }
        String out = KafkaTestBroker.createTopic("weather_offset", 1);
        start(out, UniqueNames.next("weather_offset"), "--http-poll.url=" + apis.url(path + "?city=Lisbon"),
                "--http-poll.pagination=OFFSET", "--http-poll.page-size=7", "--http-poll.records-path=/readings",
                "--http-poll.key-field=/city", "--http-poll.timeout=1s");
        assertThat(records(out, 40)).hasSize(40);
        Thread.sleep(1000);
        // 40 hours of readings (41 if the hour turned meanwhile: the API serves up to the current hour), each once
        List<JsonNode> readings = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : TopicReader.read(out, 42, Duration.ofSeconds(3))) {
            readings.add(Json.mapper().readTree(r.value()));
        }
        assertThat(readings.size()).isBetween(40, 41);
        assertThat(readings).extracting(r -> r.get("city").asText()).containsOnly("Lisbon");
        assertThat(readings.stream().map(r -> r.get("observed_at").asText()).distinct()).hasSize(readings.size());

        List<ConsumerRecord<byte[], byte[]>> dead = TopicReader.read(dlq, 4, Duration.ofSeconds(30));
        assertThat(dead).hasSize(4).allSatisfy(d -> {
            assertThat(TopicReader.header(d, DeadLetterHeaders.REASON)).isEqualTo("MALFORMED_JSON");
            assertThat(TopicReader.header(d, DeadLetterHeaders.ORIGINAL_TOPIC)).contains(path + "?city=Lisbon");
            assertThat(TopicReader.header(d, DeadLetterHeaders.DETAIL)).contains("HTTP 200");
        });
        assertThat(dead).extracting(d -> TopicReader.header(d, DeadLetterHeaders.DETAIL)).anyMatch(m -> m.contains("not JSON"))
                .anyMatch(m -> m.contains("no records array at '/readings'"));
        assertThat(dead).extracting(d -> new String(d.value(), StandardCharsets.UTF_8))
                .anyMatch(b -> b.startsWith("<html>")).anyMatch(b -> b.contains("cut of")).anyMatch(String::isEmpty)
                .anyMatch(b -> b.contains("no records here"));
    }

    @Test
    void weatherByTheLinkHeaderAndARefusedKeyTurnsTheHealthDown() throws Exception {
        apis = DemoApis.start(new DemoApis.Settings(0, 0, Instant.now().truncatedTo(ChronoUnit.HOURS).minus(Duration.ofHours(29)),
                10, 1000, "k3y"));
        String out = KafkaTestBroker.createTopic("weather", 1);
        start(out, UniqueNames.next("weather"), "--http-poll.url=http://127.0.0.1:" + apis.port() + "/api/weather?city={city}",
                "--http-poll.url-variables.city=Oslo", "--http-poll.pagination=LINK", "--http-poll.page-size=8",
                "--http-poll.records-path=/readings", "--http-poll.key-field=/city");
        assertThat(records(out, 30)).hasSize(30).extracting(r -> r.get("city").asText()).containsOnly("Oslo");

        Path wrong = Files.createTempFile("api-key", ".txt");
        Files.writeString(wrong, "nope");
        ConfigurableApplicationContext refused = start(KafkaTestBroker.createTopic("refused", 1), UniqueNames.next("refused"),
                "--http-poll.url=" + apis.url("/api/transactions"), "--http-poll.pagination=CURSOR",
                "--http-poll.auth.kind=API_KEY_HEADER", "--http-poll.auth.name=X-API-Key",
                "--http-poll.auth.secret-file=" + wrong);
        WriteHealth health = refused.getBean("api", WriteHealth.class);
        Await.until(() -> health.health().getStatus().getCode().equals("DOWN"), Duration.ofSeconds(30), "the api health DOWN");
        assertThat(health.health().getDetails().toString()).contains("HTTP 401").doesNotContain("nope");
    }
}
