package io.streamlake.e2e;

import io.streamlake.clickhouse.embedded.EmbeddedClickHouse;
import io.streamlake.core.contract.Contract;
import io.streamlake.core.contract.ContractAvro;
import io.streamlake.core.contract.ContractChecks;
import io.streamlake.core.contract.ContractJson;
import io.streamlake.core.contract.ContractParser;
import io.streamlake.core.contract.ContractWire;
import io.streamlake.core.contract.ContractsCommand;
import io.streamlake.process.ServerProcess;
import io.streamlake.stream.DeadLetterHeaders;
import io.streamlake.testsupport.Await;
import io.streamlake.testsupport.KafkaTestBroker;
import io.streamlake.testsupport.StreamAppProcess;
import io.streamlake.testsupport.TestPostgres;
import io.streamlake.testsupport.TopicReader;
import io.streamlake.testsupport.UniqueNames;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A new event type by configuration only: the {@code orders} contract registered with {@code bin/contracts}'s command in
 * the real schema registry (a jar, on PostgreSQL), then {@code event-validator --contract=orders | clickhouse
 * --contract=orders} as SCDF's local deployer runs them, on real Kafka and ClickHouse. JSON, Avro (Spring Cloud Stream's
 * contentType) and Confluent-framed producers share the input topic; a barrage of invalid orders goes to the DLQ with
 * the field named; the contract evolves (N-1, N, N+1; a new field becomes a column); the registry is stopped and
 * restarted while the stream runs; an incompatible change is refused.
 */
class OrdersContractIT {

    private static final Clock CLOCK = Clock.systemUTC();

    @TempDir
    Path work;

    @Test
    void ordersFlowByConfigurationOnlyThroughEveryFormatAndVersion() throws Exception {
        String stream = UniqueNames.next("orders");
        String database = UniqueNames.next("shop");
        String schema = TestPostgres.createSchema("registry");
        String brokers = KafkaTestBroker.bootstrapServers();
        String input = stream + ".orders";
        List<StreamAppProcess> apps = new ArrayList<>();
        int registryPort = ServerProcess.freeLoopbackPort();
        String registryUrl = "http://127.0.0.1:" + registryPort;
        List<String> registryArgs = List.of("--spring.datasource.url=" + TestPostgres.jdbcUrl(schema),
                "--spring.datasource.username=" + TestPostgres.user(), "--spring.datasource.password=" + TestPostgres.password());
        List<String> common = List.of("--spring.cloud.stream.kafka.binder.brokers=" + brokers,
                "--streamlake.dlq.destination=" + stream + ".dlq", "--spring.cloud.stream.kafka.binder.min-partition-count=2",
                "--management.endpoints.web.exposure.include=health,info,bindings",
                "--streamlake.sink.retry.max-backoff=1s");
        try (EmbeddedClickHouse clickhouse = EmbeddedClickHouse.builder().dataDir(work.resolve("clickhouse")).build().start()) {
            StreamAppProcess registry = StreamAppProcess.start("schema-registry",
                    StreamAppProcess.appJar("serving/schema-registry", "schema-registry"), work, registryArgs, registryPort);
            apps.add(registry);
            registry.awaitHealthy(Duration.ofMinutes(3));

            // bin/contracts register: v1 is the shipped contract without coupon_code
            String v2Text = shipped("orders");
            String v1Text = v2Text.replace("""
                        {"name": "coupon_code", "type": ["null", "string"], "default": null, "doc": "A coupon applied, if any.",
                         "streamlake": {"max-length": 32}},
                    """, "");
            assertThat(v1Text).doesNotContain("coupon_code");
            Path v1File = Files.writeString(work.resolve("orders.avsc"), v1Text);
            assertThat(contracts(registryUrl, "register", v1File.toString())).contains("registered: orders v1");
            // an incompatible change (a type changed) is refused, and nothing is registered
            Path incompatible = Files.writeString(work.resolve("orders-broken.avsc"), v1Text.replace(
                    "{\"name\": \"item_count\", \"type\": \"int\", \"doc\": \"Items in the order.\", \"streamlake\": {\"min\": 1, \"max\": 1000}},",
                    "{\"name\": \"item_count\", \"type\": \"string\", \"doc\": \"Items in the order.\"},"));
            assertThat(contracts(registryUrl, "register", incompatible.toString(), "--subject", "orders"))
                    .contains("REFUSED", "TYPE_MISMATCH");
            assertThat(contracts(registryUrl, "list", "orders")).contains("orders v1").doesNotContain("orders v2");

            List<String> contract = List.of("--event-validator.contract=orders", "--event-validator.contracts-location=" + registryUrl);
            StreamAppProcess sink = StreamAppProcess.start("clickhouse", StreamAppProcess.appJar("sinks/clickhouse", "clickhouse-sink"),
                    work, args(common, "--spring.cloud.stream.bindings.input.destination=" + stream + ".event-validator",
                            "--spring.cloud.stream.bindings.input.group=" + stream, "--clickhouse.url=" + clickhouse.httpUrl(),
                            "--clickhouse.database=" + database, "--clickhouse.table=orders", "--clickhouse.contract=orders",
                            "--clickhouse.contracts-location=" + registryUrl));
            apps.add(sink);
            List<String> validatorArgs = args(common, "--spring.cloud.stream.bindings.input.destination=" + input,
                    "--spring.cloud.stream.bindings.input.group=" + stream,
                    "--spring.cloud.stream.bindings.output.destination=" + stream + ".event-validator",
                    "--event-validator.output-format=AVRO");
            StreamAppProcess validator = StreamAppProcess.start("event-validator",
                    StreamAppProcess.appJar("processors/event-validator", "event-validator"), work, args(validatorArgs, contract));
            apps.add(validator);
            sink.awaitHealthy(Duration.ofMinutes(3));
            validator.awaitHealthy(Duration.ofMinutes(3));

            Contract v1 = ContractParser.parse("orders", 1, 1, v1Text);
            Contract v2 = ContractParser.parse("orders", 2, 2, v2Text);
            Random random = new Random(14);
            Set<String> validIds = new HashSet<>();
            Map<String, Integer> expectedRejects = new TreeMap<>();
            try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(KafkaTestBroker.producerProperties())) {
                // version 1 through every format: JSON, Avro with Spring Cloud Stream's contentType, Confluent's framing
                for (int i = 0; i < 300; i++) {
                    String json = order(random, null);
                    validIds.add(eventId(json));
                    producer.send(new ProducerRecord<>(input, json.getBytes(StandardCharsets.UTF_8)));
                }
                for (int i = 0; i < 100; i++) {
                    Object[] values = values(v1, order(random, null));
                    validIds.add(values[0].toString());
                    ProducerRecord<byte[], byte[]> r = new ProducerRecord<>(input, new ContractAvro(v1).write(values));
                    r.headers().add(ContractWire.CONTENT_TYPE, ContractWire.avroContentType("orders", 1).getBytes(StandardCharsets.UTF_8));
                    producer.send(r);
                    Object[] framed = values(v1, order(random, null));
                    validIds.add(framed[0].toString());
                    producer.send(new ProducerRecord<>(input, ContractWire.confluentFrame(1, new ContractAvro(v1).write(framed))));
                }
                // the barrage: each invalid order is refused for the field it breaks
                String good = order(random, null);
                Map<String, String[]> barrage = new java.util.LinkedHashMap<>();
                barrage.put("bad order_id", new String[] {good.replace("\"ORD-", "\"X-"), "PATTERN_MISMATCH", "order_id"});
                barrage.put("no order_id", new String[] {good.replaceFirst("\"order_id\":\"[^\"]*\",", ""), "MISSING_FIELD", "order_id"});
                barrage.put("unknown status", new String[] {good.replace("\"status\":\"paid\"", "\"status\":\"lost\""), "NOT_ALLOWED_VALUE", "status"});
                barrage.put("no items", new String[] {good.replaceFirst("\"item_count\":\\d+", "\"item_count\":0"), "OUT_OF_RANGE", "item_count"});
                barrage.put("negative total", new String[] {good.replace("\"total_amount\":", "\"total_amount\":-"), "NEGATIVE_AMOUNT", "total_amount"});
                barrage.put("cents of cents", new String[] {good.replaceFirst("(\"total_amount\":\\d+\\.\\d+)", "$11"), "INVALID_AMOUNT", "total_amount"});
                barrage.put("unknown currency", new String[] {good.replace("\"EUR\"", "\"EUX\""), "UNKNOWN_CURRENCY", "currency"});
                barrage.put("country of 3", new String[] {good.replace("\"DE\"", "\"DEU\""), "PATTERN_MISMATCH", "country"});
                barrage.put("paid without method", new String[] {good.replace(",\"payment_method\":\"card\"", ""), "MISSING_FIELD", "payment_method"});
                barrage.put("refund over total", new String[] {good.replace("\"status\":\"paid\"", "\"status\":\"refunded\"")
                        .replace("}", ",\"refund_amount\":100000.00}"), "RULE_VIOLATED", "refund_amount"});
                barrage.put("long customer id", new String[] {good.replaceFirst("\"customer_id\":\"", "\"customer_id\":\"" + "c".repeat(70)),
                        "VALUE_TOO_LONG", "customer_id"});
                barrage.put("items as text", new String[] {good.replaceFirst("\"item_count\":(\\d+)", "\"item_count\":\"$1\""), "WRONG_TYPE", "item_count"});
                barrage.put("old order", new String[] {good.replaceFirst("\"order_datetime\":\"[^\"]*\"", "\"order_datetime\":\"2020-01-01T00:00:00.000Z\""),
                        "TIMESTAMP_OUT_OF_RANGE", "order_datetime"});
                barrage.put("not JSON", new String[] {"{\"order_id\":", "MALFORMED_JSON", null});
                barrage.put("duplicate", new String[] {good, "DUPLICATE_EVENT", "event_id"});
                validIds.add(eventId(good));
                producer.send(new ProducerRecord<>(input, good.getBytes(StandardCharsets.UTF_8)));
                byte[] avro = new ContractAvro(v1).write(values(v1, order(random, null)));
                barrage.put("truncated Avro", new String[] {null, "MALFORMED_AVRO", null});
                barrage.put("unknown schema id", new String[] {null, "UNKNOWN_SCHEMA", null});
                barrage.put("unknown version", new String[] {null, "UNKNOWN_SCHEMA", null});
                for (Map.Entry<String, String[]> bad : barrage.entrySet()) {
                    String[] b = bad.getValue();
                    assertThat(b[0] == null || !b[0].equals(good) || b[1].equals("DUPLICATE_EVENT")).as(bad.getKey()).isTrue();
                    ProducerRecord<byte[], byte[]> r = switch (bad.getKey()) {
                        case "truncated Avro" -> new ProducerRecord<>(input, ContractWire.confluentFrame(1,
                                java.util.Arrays.copyOf(avro, avro.length / 2)));
                        case "unknown schema id" -> new ProducerRecord<>(input, ContractWire.confluentFrame(999, avro));
                        case "unknown version" -> {
                            ProducerRecord<byte[], byte[]> v9 = new ProducerRecord<>(input, avro);
                            v9.headers().add(ContractWire.CONTENT_TYPE, ContractWire.avroContentType("orders", 9).getBytes(StandardCharsets.UTF_8));
                            yield v9;
                        }
                        default -> new ProducerRecord<>(input, b[0].getBytes(StandardCharsets.UTF_8));
                    };
                    producer.send(r);
                    expectedRejects.merge(b[1], 1, Integer::sum);
                }
                producer.flush();
                Await.until(() -> count(clickhouse, database, "") >= validIds.size(), Duration.ofMinutes(2), "version 1 rows");

                List<ConsumerRecord<byte[], byte[]>> dead = TopicReader.read(stream + ".dlq", barrage.size(), Duration.ofSeconds(60));
                Map<String, Integer> reasons = dead.stream().collect(Collectors.groupingBy(
                        r -> TopicReader.header(r, DeadLetterHeaders.REASON), TreeMap::new, Collectors.summingInt(r -> 1)));
                assertThat(reasons).isEqualTo(expectedRejects);
                for (String[] b : barrage.values()) {
                    if (b[2] != null) {
                        assertThat(dead).as(b[1] + " names " + b[2]).anySatisfy(r -> {
                            assertThat(TopicReader.header(r, DeadLetterHeaders.REASON)).isEqualTo(b[1]);
                            assertThat(TopicReader.header(r, DeadLetterHeaders.DETAIL)).contains(b[2]);
                        });
                    }
                }

                // evolution: v2 adds coupon_code. The validator, on v1, reads v2 records (N+1), without the new field.
                Path v2File = Files.writeString(work.resolve("orders-v2.avsc"), v2Text);
                assertThat(contracts(registryUrl, "register", v2File.toString(), "--subject", "orders")).contains("registered: orders v2");
                for (int i = 0; i < 50; i++) {
                    Object[] values = values(v2, order(random, "SUMMER" + i));
                    validIds.add(values[0].toString());
                    ProducerRecord<byte[], byte[]> r = new ProducerRecord<>(input, new ContractAvro(v2).write(values));
                    r.headers().add(ContractWire.CONTENT_TYPE, ContractWire.avroContentType("orders", 2).getBytes(StandardCharsets.UTF_8));
                    producer.send(r);
                }
                producer.flush();
                Await.until(() -> count(clickhouse, database, "") >= validIds.size(), Duration.ofMinutes(2), "v2 rows read as v1");
                assertThat(columns(clickhouse, database)).doesNotContain("coupon_code");

                // the validator redeployed takes v2 (the latest): v1 records (N-1) still pass, v2's coupons reach a new column
                validator.close();
                validator = StreamAppProcess.start("event-validator-v2",
                        StreamAppProcess.appJar("processors/event-validator", "event-validator"), work, args(validatorArgs, contract));
                apps.add(validator);
                validator.awaitHealthy(Duration.ofMinutes(3));
                for (int i = 0; i < 50; i++) {
                    Object[] old = values(v1, order(random, null));
                    validIds.add(old[0].toString());
                    producer.send(new ProducerRecord<>(input, ContractWire.confluentFrame(1, new ContractAvro(v1).write(old))));
                    Object[] values = values(v2, order(random, "WINTER" + i));
                    validIds.add(values[0].toString());
                    ProducerRecord<byte[], byte[]> r = new ProducerRecord<>(input, new ContractAvro(v2).write(values));
                    r.headers().add(ContractWire.CONTENT_TYPE, ContractWire.avroContentType("orders", 2).getBytes(StandardCharsets.UTF_8));
                    producer.send(r);
                }
                producer.flush();
                Await.until(() -> count(clickhouse, database, "") >= validIds.size(), Duration.ofMinutes(2), "rows after the redeploy");
                assertThat(columns(clickhouse, database)).contains("coupon_code");
                assertThat(clickhouse.query("SELECT count() FROM " + database + ".orders WHERE coupon_code LIKE 'WINTER%'").strip())
                        .isEqualTo("50");

                // the registry stopped while records of a schema id the apps have not looked up yet arrive: they wait
                registry.close();
                for (int i = 0; i < 40; i++) {
                    Object[] values = values(v2, order(random, "OUTAGE" + i));
                    validIds.add(values[0].toString());
                    producer.send(new ProducerRecord<>(input, ContractWire.confluentFrame(2, new ContractAvro(v2).write(values))));
                }
                producer.flush();
                StreamAppProcess waiting = validator;
                Await.until(() -> waiting.actuator("health").contains("DOWN"), Duration.ofSeconds(60), "the validator DOWN");
                registry = StreamAppProcess.start("schema-registry-again",
                        StreamAppProcess.appJar("serving/schema-registry", "schema-registry"), work, registryArgs, registryPort);
                apps.add(registry);
                registry.awaitHealthy(Duration.ofMinutes(3));
                Await.until(() -> count(clickhouse, database, "") >= validIds.size(), Duration.ofMinutes(2), "rows after the outage");
                Await.until(waiting::healthy, Duration.ofSeconds(60), "the validator UP again");
            }
            Thread.sleep(2000);
            assertThat(count(clickhouse, database, "")).as("every valid order once").isEqualTo(validIds.size());
            assertThat(Set.copyOf(clickhouse.query("SELECT toString(event_id) FROM " + database + ".orders").strip().lines().toList()))
                    .isEqualTo(validIds);
            assertThat(TopicReader.read(stream + ".dlq", expectedRejects.values().stream().mapToInt(Integer::intValue).sum() + 1,
                    Duration.ofSeconds(5))).as("nothing more in the DLQ").hasSize(expectedRejects.values().stream().mapToInt(Integer::intValue).sum());
            assertThat(validator.isAlive()).isTrue();
            assertThat(sink.isAlive()).isTrue();
        } catch (AssertionError | RuntimeException e) {
            for (StreamAppProcess app : apps) {
                System.err.println("---- " + app.name() + " ----\n" + app.logTail(80));
            }
            for (ConsumerRecord<byte[], byte[]> r : TopicReader.read(stream + ".dlq", 10_000, Duration.ofSeconds(5))) {
                System.err.println("DLQ " + TopicReader.header(r, DeadLetterHeaders.APP) + " " + TopicReader.header(r, DeadLetterHeaders.REASON)
                        + ": " + TopicReader.header(r, DeadLetterHeaders.DETAIL));
            }
            throw e;
        } finally {
            apps.forEach(StreamAppProcess::close);
            TestPostgres.dropSchema(schema);
        }
    }

    /** A valid order (paid, by card), with a coupon when given one. */
    private static String order(Random random, String coupon) {
        return "{\"event_id\":\"" + new UUID(random.nextLong(), random.nextLong()) + "\",\"order_id\":\"ORD-"
                + String.format("%08d", random.nextInt(100_000_000)) + "\",\"customer_id\":\"c-" + random.nextInt(500)
                + "\",\"order_datetime\":\"" + Instant.now().minusSeconds(random.nextInt(3600)) + "\",\"status\":\"paid\","
                + "\"item_count\":" + (1 + random.nextInt(9)) + ",\"total_amount\":" + (1 + random.nextInt(900)) + "."
                + String.format("%02d", random.nextInt(100)) + ",\"currency\":\"EUR\",\"country\":\"DE\",\"payment_method\":\"card\""
                + (coupon == null ? "" : ",\"coupon_code\":\"" + coupon + "\"") + "}";
    }

    private static Object[] values(Contract contract, String json) {
        Object[] values = new ContractJson(contract).read(json.getBytes(StandardCharsets.UTF_8));
        new ContractChecks(contract, CLOCK).check(values);
        return values;
    }

    private static String eventId(String json) {
        return json.substring(json.indexOf("\"event_id\":\"") + 12, json.indexOf("\"event_id\":\"") + 48);
    }

    private String contracts(String registry, String... args) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new ContractsCommand(URI.create(registry), new PrintStream(out, true, StandardCharsets.UTF_8)).run(List.of(args));
        return out.toString(StandardCharsets.UTF_8);
    }

    private static long count(EmbeddedClickHouse clickhouse, String database, String finalKeyword) {
        try {
            return Long.parseLong(clickhouse.query("SELECT count() FROM " + database + ".orders" + finalKeyword).strip());
        } catch (RuntimeException notYet) {
            return -1;
        }
    }

    private static List<String> columns(EmbeddedClickHouse clickhouse, String database) {
        return clickhouse.query("SELECT name FROM system.columns WHERE database = '" + database + "' AND table = 'orders'")
                .strip().lines().toList();
    }

    private static String shipped(String subject) throws Exception {
        try (InputStream in = OrdersContractIT.class.getClassLoader().getResourceAsStream("contracts/" + subject + ".avsc")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @SafeVarargs
    private static List<String> args(List<String> common, Object... more) {
        List<String> all = new ArrayList<>(common);
        for (Object m : more) {
            if (m instanceof List<?> list) {
                list.forEach(x -> all.add(x.toString()));
            } else {
                all.add(m.toString());
            }
        }
        return all;
    }
}
