package io.streamlake.e2e;

import io.streamlake.clickhouse.embedded.EmbeddedClickHouse;
import io.streamlake.demo.DemoApis;
import io.streamlake.testsupport.Await;
import io.streamlake.testsupport.KafkaTestBroker;
import io.streamlake.testsupport.StreamAppProcess;
import io.streamlake.testsupport.TestRedis;
import io.streamlake.testsupport.UniqueNames;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static io.streamlake.testsupport.StreamAppProcess.args;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The user-profiles pipeline from its jars, as dataflow-definitions declares it: the demo random-user API →
 * {@code http-poll} (the nested users mapped flat) → {@code event-validator --contract=user-profile} (e-mail hashed,
 * phone and street masked) → {@code clickhouse --contract=user-profile}. Every user lands once, and once only
 * through a restart of the source; no personal value reaches ClickHouse in the clear.
 */
class UserProfilesPipelineIT {

    private static final int USERS = 300;

    @TempDir
    Path work;

    @Test
    void apiRecordsLandInClickHouseExactlyOnceWithPersonalDataHashedOrMasked() throws Exception {
        String stream = UniqueNames.next("profiles");
        String database = UniqueNames.next("profiles_db");
        List<String> common = List.of("--spring.cloud.stream.kafka.binder.brokers=" + KafkaTestBroker.bootstrapServers(),
                "--streamlake.dlq.destination=" + stream + "_dlq");
        List<StreamAppProcess> apps = new ArrayList<>();
        try (DemoApis apis = DemoApis.start(new DemoApis.Settings(0, USERS, Instant.now(), 0, 100, null));
             EmbeddedClickHouse clickhouse = EmbeddedClickHouse.builder().dataDir(work.resolve("clickhouse")).build().start()) {
            apps.add(StreamAppProcess.start("clickhouse", StreamAppProcess.appJar("sinks/clickhouse", "clickhouse-sink"), work,
                    args(common, "--spring.cloud.stream.bindings.input.destination=" + stream + "_validated",
                            "--spring.cloud.stream.bindings.input.group=" + stream, "--clickhouse.url=" + clickhouse.httpUrl(),
                            "--clickhouse.database=" + database, "--clickhouse.table=user_profiles",
                            "--clickhouse.contract=user-profile")));
            apps.add(StreamAppProcess.start("event-validator", StreamAppProcess.appJar("processors/event-validator",
                    "event-validator"), work, args(common, "--spring.cloud.stream.bindings.input.destination=" + stream + "_raw",
                    "--spring.cloud.stream.bindings.input.group=" + stream,
                    "--spring.cloud.stream.bindings.output.destination=" + stream + "_validated",
                    "--event-validator.contract=user-profile", "--event-validator.pii-salt=it-salt")));
            for (StreamAppProcess app : apps) {
                app.awaitHealthy(Duration.ofMinutes(3));
            }
            List<String> poll = new ArrayList<>(List.of("--spring.cloud.stream.bindings.output.destination=" + stream + "_raw",
                    "--http-poll.name=" + stream, "--http-poll.url=" + apis.url("/api/users?seed=it"),
                    "--http-poll.size-param=results", "--http-poll.page-size=100", "--http-poll.records-path=/results",
                    "--http-poll.key-field=/login/uuid", "--http-poll.fixed-delay=500ms",
                    "--http-poll.redis-uri=redis://" + TestRedis.host() + ":" + TestRedis.port()));
            poll.addAll(List.of(HttpPollFields.USER_PROFILE));
            StreamAppProcess source = StreamAppProcess.start("http-poll", StreamAppProcess.appJar("sources/http-poll", "http-poll"),
                    work, args(common, poll.toArray(String[]::new)));
            apps.add(source);
            String table = database + ".user_profiles";
            Await.until(() -> count(clickhouse, "SELECT count() FROM " + table) >= USERS, Duration.ofMinutes(2),
                    "every user in ClickHouse");
            source.close();
            apps.remove(source);
            StreamAppProcess again = StreamAppProcess.start("http-poll-again", StreamAppProcess.appJar("sources/http-poll",
                    "http-poll"), work, args(common, poll.toArray(String[]::new)));
            apps.add(again);
            again.awaitHealthy(Duration.ofMinutes(2));
            Thread.sleep(5000); // polls after the restart: nothing new, so nothing sent
            // counted without FINAL: a record sent twice would be a second row until a merge
            assertThat(count(clickhouse, "SELECT count() FROM " + table)).isEqualTo(USERS);
            assertThat(count(clickhouse, "SELECT uniqExact(user_id) FROM " + table)).isEqualTo(USERS);
            assertThat(count(clickhouse, "SELECT countIf(match(email, '^[0-9a-f]{64}$')) FROM " + table)).isEqualTo(USERS);
            assertThat(count(clickhouse, "SELECT countIf(position(email, '@') > 0 OR match(phone, '[0-9]{5}')) FROM " + table)).isZero();
            assertThat(count(clickhouse, "SELECT countIf(street LIKE '%Street') FROM " + table)).isZero();
        } catch (AssertionError | RuntimeException e) {
            StreamAppProcess.printLogTails(apps, 40);
            throw e;
        } finally {
            apps.forEach(StreamAppProcess::close);
        }
    }

    private static long count(EmbeddedClickHouse clickhouse, String sql) {
        return Long.parseLong(clickhouse.query(sql).strip());
    }
}
