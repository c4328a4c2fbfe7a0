package io.streamlake.testsupport;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Each shared service is real and each test's slice of it is isolated. */
class TestServicesTest {

    @Test
    void kafkaBrokerIsARealBrokerAndTopicsAreUnique() throws Exception {
        String topic = KafkaTestBroker.createTopic("roundtrip", 3);
        assertThat(topic).isNotEqualTo(KafkaTestBroker.createTopic("roundtrip", 3));
        assertThat(KafkaTestBroker.bootstrapServers()).doesNotEndWith(":19092");
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(KafkaTestBroker.producerProperties())) {
            for (int i = 0; i < 300; i++) {
                producer.send(new ProducerRecord<>(topic, ("c" + i % 7).getBytes(), ("event-" + i).getBytes())).get();
            }
        }
        List<String> values = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(KafkaTestBroker.consumerProperties(
                UniqueNames.next("group")))) {
            consumer.subscribe(List.of(topic));
            long deadline = System.currentTimeMillis() + 30_000;
            while (values.size() < 300 && System.currentTimeMillis() < deadline) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    values.add(new String(r.value(), StandardCharsets.UTF_8));
                }
            }
        }
        assertThat(values).hasSize(300).doesNotHaveDuplicates().contains("event-0", "event-299");
    }

    @Test
    void postgresSchemasIsolateTests() throws Exception {
        String a = TestPostgres.createSchema("iso");
        String b = TestPostgres.createSchema("iso");
        try {
            try (Connection c = DriverManager.getConnection(TestPostgres.jdbcUrl(a), TestPostgres.user(), TestPostgres.password());
                 Statement st = c.createStatement()) {
                st.execute("CREATE TABLE items (id int)");
                st.execute("INSERT INTO items VALUES (1), (2)");
            }
            try (Connection c = DriverManager.getConnection(TestPostgres.jdbcUrl(b), TestPostgres.user(), TestPostgres.password());
                 Statement st = c.createStatement()) {
                assertThatThrownBy(() -> st.executeQuery("SELECT * FROM items")).hasMessageContaining("does not exist");
            }
            try (Connection c = TestPostgres.connect(); Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT count(*) FROM \"" + a + "\".items")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getInt(1)).isEqualTo(2);
            }
        } finally {
            TestPostgres.dropSchema(a);
            TestPostgres.dropSchema(b);
        }
    }

    @Test
    void redisKeyPrefixesIsolateTests() {
        String mine = TestRedis.keyPrefix("feat");
        String theirs = TestRedis.keyPrefix("feat");
        RedisClient client = RedisClient.create(TestRedis.uri());
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            for (int i = 0; i < 50; i++) {
                connection.sync().set(mine + i, "v");
            }
            connection.sync().set(theirs + "0", "keep");
            assertThat(TestRedis.deleteKeys(mine)).isEqualTo(50);
            assertThat(connection.sync().get(mine + "0")).isNull();
            assertThat(connection.sync().get(theirs + "0")).isEqualTo("keep");
            TestRedis.deleteKeys(theirs);
        } finally {
            client.shutdown();
        }
    }

    @Test
    void clickHouseDatabasesIsolateTests() throws Exception {
        String db = TestClickHouse.createDatabase("iso");
        try (Connection c = DriverManager.getConnection(TestClickHouse.jdbcUrl(db), "default", "");
             Statement st = c.createStatement()) {
            st.execute("CREATE TABLE t (x UInt8) ENGINE = MergeTree ORDER BY x");
            st.execute("INSERT INTO t VALUES (1), (2), (3)");
            try (ResultSet rs = st.executeQuery("SELECT sum(x), currentDatabase() FROM t")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getInt(1)).isEqualTo(6);
                assertThat(rs.getString(2)).isEqualTo(db);
            }
        }
        assertThat(TestClickHouse.shared().query("SELECT count() FROM system.tables WHERE database = '" + db + "'").strip())
                .isEqualTo("1");
    }
}
