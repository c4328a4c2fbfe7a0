package io.streamlake.benchmarks;

import io.streamlake.clickhouse.embedded.EmbeddedClickHouse;
import io.streamlake.core.contract.Contract;
import io.streamlake.core.contract.ContractAvro;
import io.streamlake.core.contract.ContractJson;
import io.streamlake.core.contract.ContractRepository;
import io.streamlake.core.contract.ContractWire;
import io.streamlake.core.event.CasinoEvent;
import io.streamlake.core.event.CasinoEventJson;
import io.streamlake.process.ServerProcess;
import io.streamlake.kafka.broker.KafkaBrokerProcess;
import io.streamlake.testsupport.StreamAppProcess;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The casino stream's apps, each run as SCDF runs it (its own JVM from its jar) against a real broker process,
 * beside their anchors measured in the same run:
 * <ul>
 *   <li>event-validator events/s in → out, beside Kafka's own ProducerPerformance (200-byte records, acks=1,
 *       linger.ms=5, batch.size=64K: the same command as shared/tools/anchors) on the same broker;</li>
 *   <li>clickhouse sink rows/s into the embedded ClickHouse, beside a raw clickhouse-jdbc PreparedStatement batch
 *       insert of the same rows into the same table;</li>
 *   <li>casino-events events/s produced to Kafka, unpaced.</li>
 *   <li>with parts {@code validator-orders} and {@code sink-avro}: event-validator on the orders contract (JSON in and
 *       out; Avro in and out) beside the same ProducerPerformance, and the clickhouse sink reading Avro casino events
 *       beside the raw insert of the same rows; with {@code -Dbench.validator.baseline.jar=...}, the casino validator
 *       of another build (the code before a change) measured in the same trials.</li>
 * </ul>
 * App rates are steady-state: measured over the last three quarters of each run, after a first quarter of warm-up.
 */
final class StreamAppsBenchmark {

    private static final int TRIALS = Integer.getInteger("bench.stream.trials", 3);
    private static final int VALIDATOR_EVENTS = Integer.getInteger("bench.validator.events", 2_000_000);
    private static final int SINK_ROWS = Integer.getInteger("bench.sink.rows", 400_000);
    private static final int SOURCE_EVENTS = Integer.getInteger("bench.source.events", 1_000_000);
    /** Another build's event-validator jar to measure beside this one's (an A/B in the same trials), or null. */
    private static final String BASELINE_VALIDATOR = System.getProperty("bench.validator.baseline.jar", "").isBlank() ? null
            : System.getProperty("bench.validator.baseline.jar");
    /** Another build's feature-aggregator jar to measure beside this one's (an A/B in the same trials), or null. */
    private static final String BASELINE_AGGREGATOR = System.getProperty("bench.aggregator.baseline.jar", "").isBlank() ? null
            : System.getProperty("bench.aggregator.baseline.jar");
    private static final Contract ORDERS = ContractRepository.at("").get("orders", ContractRepository.LATEST);
    private static final Contract CASINO = CasinoEventJson.CONTRACT;
    private static final Pattern RECORDS_PER_SEC = Pattern.compile("([0-9.]+) records/sec");

    private StreamAppsBenchmark() {
    }

    /** @param parts which of validator, sink, source to measure (their anchors come with them) */
    static void run(java.util.Set<String> parts) throws Exception {
        Path work = Files.createTempDirectory("bench-stream");
        System.out.printf("%nstream apps benchmark: %d trials; validator %d events, sink %d rows, source %d events; %d cores%n",
                TRIALS, VALIDATOR_EVENTS, SINK_ROWS, SOURCE_EVENTS, Runtime.getRuntime().availableProcessors());
        try (KafkaBrokerProcess broker = KafkaBrokerProcess.builder().dataDir(work.resolve("kafka")).build().start();
             EmbeddedClickHouse clickhouse = EmbeddedClickHouse.builder().dataDir(work.resolve("clickhouse")).build().start()) {
            String brokers = broker.bootstrapServers();
            double[] producerPerf = new double[TRIALS];
            double[] validator = new double[TRIALS];
            double[] sink = new double[TRIALS];
            double[] jdbc = new double[TRIALS];
            double[] gatedSink = new double[TRIALS];
            double[] gatedJdbc = new double[TRIALS];
            double[] source = new double[TRIALS];
            double[] aggregator = new double[TRIALS];
            double[] baseline = new double[TRIALS];
            double[] baselineAggregator = new double[TRIALS];
            double[] aggregatorLiveMb = new double[TRIALS];
            double[] baselineAggregatorLiveMb = new double[TRIALS];
            double[] ordersJson = new double[TRIALS];
            double[] ordersAvro = new double[TRIALS];
            double[] avroSink = new double[TRIALS];
            double[] avroJdbc = new double[TRIALS];
            boolean anchor = parts.contains("validator") || parts.contains("validator-orders");
            List<byte[]> events = events(Math.max(VALIDATOR_EVENTS, SINK_ROWS));
            List<byte[]> orders = parts.contains("validator-orders") ? orders(VALIDATOR_EVENTS) : List.of();
            if (anchor) {
                // Not measured: the broker's first minute is JIT warm-up, which would lower the first trial's anchor.
                System.out.printf("broker warm-up: ProducerPerformance %,.0f/s (not counted)%n",
                        producerPerformance(brokers, "anchor-warm-up"));
            }
            for (int t = 0; t < TRIALS; t++) {
                if (anchor) {
                    producerPerf[t] = producerPerformance(brokers, "anchor-" + t);
                }
                if (parts.contains("validator")) {
                    // With a baseline, the two go first in turn: the first after the anchor meets a busier broker.
                    if (BASELINE_VALIDATOR != null && t % 2 == 1) {
                        baseline[t] = validatorRate(brokers, work, Path.of(BASELINE_VALIDATOR), "baseline" + t, events,
                                null, List.of());
                    }
                    validator[t] = validatorRate(brokers, work, events, t);
                    if (BASELINE_VALIDATOR != null && t % 2 == 0) {
                        baseline[t] = validatorRate(brokers, work, Path.of(BASELINE_VALIDATOR), "baseline" + t, events,
                                null, List.of());
                    }
                }
                if (parts.contains("validator-orders")) {
                    ordersJson[t] = validatorRate(brokers, work, appJar("processors/event-validator", "event-validator"),
                            "orders-json" + t, orders, null, List.of("--event-validator.contract=orders"));
                    ContractAvro avro = new ContractAvro(ORDERS);
                    ContractJson json = new ContractJson(ORDERS);
                    List<byte[]> avroOrders = orders.stream().map(o -> avro.write(json.read(o))).toList();
                    ordersAvro[t] = validatorRate(brokers, work, appJar("processors/event-validator", "event-validator"),
                            "orders-avro" + t, avroOrders, ContractWire.avroContentType("orders", 1),
                            List.of("--event-validator.contract=orders", "--event-validator.output-format=AVRO"));
                }
                if (parts.contains("sink-avro")) {
                    ContractAvro avro = new ContractAvro(CASINO);
                    ContractJson json = new ContractJson(CASINO);
                    List<byte[]> rows = events.subList(0, SINK_ROWS);
                    avroSink[t] = sinkRate(brokers, work, clickhouse, rows.stream().map(e -> avro.write(json.read(e))).toList(),
                            ContractWire.avroContentType(CASINO.subject(), 1), "avro" + t, false);
                    avroJdbc[t] = rawJdbcInsertRate(clickhouse, rows, "avro" + t, false);
                }
                if (parts.contains("sink")) {
                    // As deployed (unique event_id gate on), and with the gate off, each against the raw insert into
                    // the same table: the gate's id view is attached to the raw table, so that insert pays its part too.
                    gatedSink[t] = sinkRate(brokers, work, clickhouse, events.subList(0, SINK_ROWS), t, true);
                    gatedJdbc[t] = rawJdbcInsertRate(clickhouse, events.subList(0, SINK_ROWS), t, true);
                    sink[t] = sinkRate(brokers, work, clickhouse, events.subList(0, SINK_ROWS), t, false);
                    jdbc[t] = rawJdbcInsertRate(clickhouse, events.subList(0, SINK_ROWS), t, false);
                }
                if (parts.contains("source")) {
                    source[t] = sourceRate(brokers, work, t);
                }
                if (parts.contains("aggregator")) {
                    // With a baseline, the two go first in turn, as for the validator.
                    if (BASELINE_AGGREGATOR != null && t % 2 == 1) {
                        double[] r = aggregatorRate(brokers, work, Path.of(BASELINE_AGGREGATOR), events.subList(0, VALIDATOR_EVENTS), "b" + t);
                        baselineAggregator[t] = r[0];
                        baselineAggregatorLiveMb[t] = r[1];
                    }
                    double[] r = aggregatorRate(brokers, work, appJar("processors/feature-aggregator", "feature-aggregator"),
                            events.subList(0, VALIDATOR_EVENTS), String.valueOf(t));
                    aggregator[t] = r[0];
                    aggregatorLiveMb[t] = r[1];
                    if (BASELINE_AGGREGATOR != null && t % 2 == 0) {
                        r = aggregatorRate(brokers, work, Path.of(BASELINE_AGGREGATOR), events.subList(0, VALIDATOR_EVENTS), "b" + t);
                        baselineAggregator[t] = r[0];
                        baselineAggregatorLiveMb[t] = r[1];
                    }
                    System.out.printf("  aggregator trial %d: %,.0f events/s (live heap after GC %.0f MB of 320); baseline %,.0f events/s (%.0f MB)%n",
                            t + 1, aggregator[t], aggregatorLiveMb[t], baselineAggregator[t], baselineAggregatorLiveMb[t]);
                }
                System.out.printf("trial %d: ProducerPerformance %,.0f/s, validator %,.0f/s, raw JDBC %,.0f rows/s, sink %,.0f rows/s,"
                        + " raw JDBC (gated table) %,.0f rows/s, sink (gate) %,.0f rows/s, source %,.0f/s, aggregator %,.0f/s,"
                        + " baseline validator %,.0f/s, orders JSON %,.0f/s, orders Avro %,.0f/s, Avro sink %,.0f rows/s,"
                        + " raw JDBC (Avro rows) %,.0f rows/s%n",
                        t + 1, producerPerf[t], validator[t], jdbc[t], sink[t], gatedJdbc[t], gatedSink[t], source[t], aggregator[t],
                        baseline[t], ordersJson[t], ordersAvro[t], avroSink[t], avroJdbc[t]);
            }
            System.out.println();
            System.out.println("| measurement | median | anchor (median, same run) | ratio | goal |");
            System.out.println("|---|---:|---:|---:|---|");
            System.out.printf("| event-validator, events/s in → out | %,.0f | Kafka ProducerPerformance 200 B, acks=1: %,.0f records/s | %.2f | ≥ 0.50 |%n",
                    Stats.median(validator), Stats.median(producerPerf), Stats.median(validator) / Stats.median(producerPerf));
            System.out.printf("| clickhouse sink, unique-id-gate=false, rows/s into the embedded ClickHouse | %,.0f | raw clickhouse-jdbc PreparedStatement batch: %,.0f rows/s | %.2f | ≥ 0.80 and ≥ 100,000 rows/s |%n",
                    Stats.median(sink), Stats.median(jdbc), Stats.median(sink) / Stats.median(jdbc));
            System.out.printf("| clickhouse sink through the unique event_id gate (default), rows/s | %,.0f | the same raw insert into the gated table (its id view attached): %,.0f rows/s | %.2f | (cost of the gate: %.2f of the gateless sink) |%n",
                    Stats.median(gatedSink), Stats.median(gatedJdbc), Stats.median(gatedSink) / Stats.median(gatedJdbc),
                    Stats.median(gatedSink) / Stats.median(sink));
            System.out.printf("| casino-events, events/s produced to Kafka | %,.0f | | | ≥ 100,000 events/s |%n", Stats.median(source));
            System.out.printf("| feature-aggregator, events/s consumed (committed) | %,.0f | | | ≥ 50,000 events/s |%n", Stats.median(aggregator));
            if (parts.contains("aggregator")) {
                System.out.printf("| feature-aggregator, live heap after GC at the end (-Xmx320m), MB | %.0f | | | within 320 MB |%n",
                        Stats.median(aggregatorLiveMb));
            }
            if (BASELINE_AGGREGATOR != null) {
                System.out.printf("| feature-aggregator of %s (the same trials), events/s | %,.0f (live heap %.0f MB) | | | before / after |%n",
                        BASELINE_AGGREGATOR, Stats.median(baselineAggregator), Stats.median(baselineAggregatorLiveMb));
            }
            if (BASELINE_VALIDATOR != null) {
                System.out.printf("| event-validator of %s (the same trials), events/s | %,.0f | ProducerPerformance: %,.0f records/s | %.2f | before / after |%n",
                        BASELINE_VALIDATOR, Stats.median(baseline), Stats.median(producerPerf),
                        Stats.median(baseline) / Stats.median(producerPerf));
            }
            if (parts.contains("validator-orders")) {
                System.out.printf("| event-validator, orders contract, JSON in and out, events/s | %,.0f | ProducerPerformance: %,.0f records/s | %.2f | |%n",
                        Stats.median(ordersJson), Stats.median(producerPerf), Stats.median(ordersJson) / Stats.median(producerPerf));
                System.out.printf("| event-validator, orders contract, Avro in and out, events/s | %,.0f | ProducerPerformance: %,.0f records/s | %.2f | |%n",
                        Stats.median(ordersAvro), Stats.median(producerPerf), Stats.median(ordersAvro) / Stats.median(producerPerf));
            }
            if (parts.contains("sink-avro")) {
                System.out.printf("| clickhouse sink from Avro (casino contract), unique-id-gate=false, rows/s | %,.0f | raw clickhouse-jdbc batch of the same rows: %,.0f rows/s | %.2f | ≥ 0.80 |%n",
                        Stats.median(avroSink), Stats.median(avroJdbc), Stats.median(avroSink) / Stats.median(avroJdbc));
            }
        }
    }

    /** Kafka's own producer benchmark, as shared/tools/anchors runs it, on our broker. */
    static double producerPerformance(String brokers, String topic) throws Exception {
        createTopic(brokers, topic, 2);
        Path log = Files.createTempFile("producer-perf", ".log");
        ServerProcess p = ServerProcess.start("ProducerPerformance", List.of(java(), "-Xmx512m", "-cp",
                System.getProperty("java.class.path"), "org.apache.kafka.tools.ProducerPerformance", "--topic", topic,
                "--num-records", "1000000", "--record-size", "200", "--throughput", "-1", "--producer-props",
                "bootstrap.servers=" + brokers, "acks=1", "linger.ms=5", "batch.size=65536"), null, log);
        if (p.awaitExit(Duration.ofMinutes(5)) != 0) {
            throw new IllegalStateException("ProducerPerformance failed:\n" + p.logTail(20));
        }
        String last = p.logTail(1);
        Matcher m = RECORDS_PER_SEC.matcher(last);
        if (!m.find()) {
            throw new IllegalStateException("unexpected ProducerPerformance output: " + last);
        }
        return Double.parseDouble(m.group(1));
    }

    private static double validatorRate(String brokers, Path work, List<byte[]> events, int trial) throws Exception {
        return validatorRate(brokers, work, appJar("processors/event-validator", "event-validator"), String.valueOf(trial),
                events, null, List.of());
    }

    /** The validator of {@code jar} on {@code events} (with a contentType header when given), with more arguments. */
    private static double validatorRate(String brokers, Path work, Path jar, String run, List<byte[]> events,
                                        String contentType, List<String> arguments) throws Exception {
        String in = "bench" + run + ".in";
        String out = "bench" + run + ".event-validator";
        createTopic(brokers, in, 2);
        createTopic(brokers, out, 2);
        fill(brokers, in, events.subList(0, Math.min(events.size(), VALIDATOR_EVENTS)), contentType);
        List<String> args = new ArrayList<>(List.of(
                "--spring.cloud.stream.kafka.binder.brokers=" + brokers,
                "--spring.cloud.stream.bindings.input.destination=" + in,
                "--spring.cloud.stream.bindings.input.group=bench" + run, PAUSED,
                "--spring.cloud.stream.bindings.output.destination=" + out,
                "--streamlake.dlq.destination=bench" + run + ".dlq"));
        args.addAll(arguments);
        try (StreamAppProcess app = StreamAppProcess.start("event-validator-" + run, jar, work, args)) {
            startInput(app);
            return steadyRate(() -> endOffsets(brokers, out), Math.min(events.size(), VALIDATOR_EVENTS), app);
        }
    }

    private static Path appJar(String module, String artifact) {
        return StreamAppProcess.appJar(module, artifact);
    }

    private static String sinkDatabase(Object trial, boolean gate) {
        return "bench_sink_" + (gate ? "gated_" : "") + trial;
    }

    private static double sinkRate(String brokers, Path work, EmbeddedClickHouse clickhouse, List<byte[]> rows, int trial,
                                   boolean gate) throws Exception {
        return sinkRate(brokers, work, clickhouse, rows, null, String.valueOf(trial), gate);
    }

    /** The sink on {@code rows} (each with a contentType header when given: Avro), rows/s into its table. */
    private static double sinkRate(String brokers, Path work, EmbeddedClickHouse clickhouse, List<byte[]> rows,
                                   String contentType, String trial, boolean gate) throws Exception {
        String in = "bench" + trial + (gate ? ".gated" : "") + ".validated";
        createTopic(brokers, in, 2);
        fill(brokers, in, rows, contentType);
        String database = sinkDatabase(trial, gate);
        awaitQuietClickHouse(clickhouse);
        try (StreamAppProcess app = StreamAppProcess.start("clickhouse-" + trial,
                StreamAppProcess.appJar("sinks/clickhouse", "clickhouse-sink"), work, List.of(
                        "--spring.cloud.stream.kafka.binder.brokers=" + brokers,
                        "--spring.cloud.stream.bindings.input.destination=" + in,
                        "--spring.cloud.stream.bindings.input.group=bench" + trial, PAUSED,
                        "--streamlake.dlq.destination=bench" + trial + ".dlq",
                        "--clickhouse.url=" + clickhouse.httpUrl(), "--clickhouse.database=" + database,
                        "--clickhouse.unique-id-gate=" + gate))) {
            startInput(app);
            return steadyRate(() -> {
                try {
                    return Long.parseLong(clickhouse.query("SELECT count() FROM " + database + ".casino_events").strip());
                } catch (RuntimeException notYet) {
                    return 0;
                }
            }, rows.size(), app);
        }
    }

    /**
     * The same rows through clickhouse-jdbc's PreparedStatement batches of 10,000, as an application would, into
     * the very table the sink just filled (emptied first; its materialized views stay attached).
     */
    private static double rawJdbcInsertRate(EmbeddedClickHouse clickhouse, List<byte[]> rows, Object trial, boolean gate)
            throws Exception {
        String database = sinkDatabase(trial, gate);
        for (String table : List.of("casino_events", "casino_events_game_minute", "casino_events_customer_totals")) {
            clickhouse.query("TRUNCATE TABLE " + database + "." + table);
        }
        List<CasinoEvent> parsed = rows.stream().map(CasinoEventJson::read).toList();
        awaitQuietClickHouse(clickhouse);
        Properties props = new Properties();
        props.setProperty("user", "default");
        props.setProperty("password", "");
        long start = System.nanoTime();
        try (Connection c = DriverManager.getConnection(clickhouse.jdbcUrl(database), props);
             PreparedStatement ps = c.prepareStatement("INSERT INTO casino_events (event_id, customer_id, activity_datetime,"
                     + " game_activity, game_id, game_type, bet_amount, win_amount, bonus_amount, transaction_amount, currency,"
                     + " schema_version) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            int inBatch = 0;
            for (CasinoEvent e : parsed) {
                ps.setObject(1, e.eventId());
                ps.setString(2, e.customerId());
                ps.setTimestamp(3, Timestamp.from(e.activityDatetime()));
                ps.setString(4, e.gameActivity());
                ps.setString(5, e.gameId() == null ? "" : e.gameId());
                ps.setString(6, e.gameType() == null ? "" : e.gameType());
                ps.setBigDecimal(7, orZero(e.betAmount()));
                ps.setBigDecimal(8, orZero(e.winAmount()));
                ps.setBigDecimal(9, orZero(e.bonusAmount()));
                ps.setBigDecimal(10, orZero(e.transactionAmount()));
                ps.setString(11, e.currency() == null ? "" : e.currency());
                ps.setInt(12, e.schemaVersion());
                ps.addBatch();
                if (++inBatch == 10_000) {
                    ps.executeBatch();
                    inBatch = 0;
                }
            }
            if (inBatch > 0) {
                ps.executeBatch();
            }
        }
        double rate = rows.size() / ((System.nanoTime() - start) / 1e9);
        long count = Long.parseLong(clickhouse.query("SELECT count() FROM " + database + ".casino_events").strip());
        if (count != rows.size()) {
            throw new IllegalStateException("raw JDBC insert stored " + count + " of " + rows.size() + " rows");
        }
        return rate;
    }

    /**
     * Waits (at most a minute) until ClickHouse runs no background merges, so that each insert measurement, the sink's
     * and the raw insert's, starts from an idle engine rather than behind the merges of whatever was inserted before.
     */
    private static void awaitQuietClickHouse(EmbeddedClickHouse clickhouse) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
        while (System.nanoTime() < deadline && !"0".equals(clickhouse.query("SELECT count() FROM system.merges").strip())) {
            Thread.sleep(200);
        }
    }

    /**
     * Validated events per second the aggregator consumes and commits (its output is one row per entity, view and
     * poll), and its live heap after GC at the end (MB), from the app's own metrics.
     */
    private static double[] aggregatorRate(String brokers, Path work, Path jar, List<byte[]> events, String trial) throws Exception {
        String in = "bench" + trial + ".agg-in";
        String group = "bench-agg" + trial;
        createTopic(brokers, in, 2);
        createTopic(brokers, "bench" + trial + ".agg-out", 2);
        fill(brokers, in, events);
        try (StreamAppProcess app = StreamAppProcess.start("feature-aggregator-" + trial, jar, work, List.of(
                "--spring.cloud.stream.kafka.binder.brokers=" + brokers,
                "--spring.cloud.stream.bindings.input.destination=" + in,
                "--spring.cloud.stream.bindings.input.group=" + group, PAUSED,
                "--spring.cloud.stream.bindings.output.destination=bench" + trial + ".agg-out",
                "--streamlake.dlq.destination=bench" + trial + ".dlq"))) {
            startInput(app);
            double rate = steadyRate(() -> committed(brokers, group), events.size(), app);
            return new double[] {rate, metric(app, "jvm.gc.live.data.size") / (1024 * 1024)};
        }
    }

    /** A metric's first measurement from the app's actuator, or NaN. */
    private static double metric(StreamAppProcess app, String name) {
        try {
            java.net.HttpURLConnection c = (java.net.HttpURLConnection) java.net.URI.create(
                    "http://127.0.0.1:" + app.port() + "/actuator/metrics/" + name).toURL().openConnection();
            String body = new String(c.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            Matcher m = Pattern.compile("\"value\"\\s*:\\s*([0-9.E+-]+)").matcher(body);
            return m.find() ? Double.parseDouble(m.group(1)) : Double.NaN;
        } catch (Exception e) {
            return Double.NaN;
        }
    }

    private static long committed(String brokers, String group) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, brokers))) {
            return admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS)
                    .values().stream().mapToLong(o -> o == null ? 0 : o.offset()).sum();
        } catch (Exception e) {
            return 0;
        }
    }

    private static double sourceRate(String brokers, Path work, int trial) throws Exception {
        String out = "bench" + trial + ".generated";
        createTopic(brokers, out, 2);
        try (StreamAppProcess app = StreamAppProcess.start("casino-events-" + trial,
                StreamAppProcess.appJar("sources/casino-events", "casino-events"), work, List.of(
                        "--spring.cloud.stream.kafka.binder.brokers=" + brokers,
                        "--spring.cloud.stream.bindings.output.destination=" + out,
                        "--casino-events.events-per-second=100000000", "--casino-events.max-events=" + SOURCE_EVENTS))) {
            return steadyRate(() -> endOffsets(brokers, out), SOURCE_EVENTS, app);
        }
    }

    /**
     * Records per second over the last three quarters of the run: the first quarter is the app's warm-up (JIT
     * compilation on two shared cores), as in JMH, and is not measured.
     */
    /** Apps start with their input binding stopped, so their start-up (a core's worth on two) is not measured. */
    static final String PAUSED = "--spring.cloud.stream.bindings.input.consumer.auto-startup=false";

    /** Starts the app's input binding through its actuator, as {@code /actuator/bindings} does for an operator. */
    static void startInput(StreamAppProcess app) throws Exception {
        app.awaitHealthy(Duration.ofMinutes(2));
        java.net.HttpURLConnection c = (java.net.HttpURLConnection) java.net.URI.create(
                "http://127.0.0.1:" + app.port() + "/actuator/bindings/input").toURL().openConnection();
        c.setRequestMethod("POST");
        c.setDoOutput(true);
        c.setRequestProperty("Content-Type", "application/json");
        c.getOutputStream().write("{\"state\":\"STARTED\"}".getBytes(StandardCharsets.UTF_8));
        int status = c.getResponseCode();
        if (status / 100 != 2) {
            throw new IllegalStateException(app.name() + ": starting the input binding answered HTTP " + status);
        }
    }

    static double steadyRate(LongSupplier progress, long target, StreamAppProcess app) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
        long warmedUp = target / 4;
        long firstAt = 0;
        long firstCount = 0;
        while (System.nanoTime() < deadline) {
            long now = System.nanoTime();
            long count = progress.getAsLong();
            if (firstAt == 0 && count >= warmedUp) {
                firstAt = now;
                firstCount = count;
            }
            if (count >= target) {
                return (count - firstCount) / ((now - firstAt) / 1e9);
            }
            if (!app.isAlive()) {
                throw new IllegalStateException(app.name() + " died:\n" + app.logTail(40));
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException(app.name() + " did not reach " + target + ":\n" + app.logTail(40));
    }

    static List<byte[]> events(int n) {
        Random random = new Random(99);
        String[] games = {"slots", "roulette", "blackjack", "poker", "sports", "baccarat"};
        Instant now = Instant.now();
        List<byte[]> events = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            String type = games[random.nextInt(games.length)];
            boolean win = random.nextInt(3) == 0;
            BigDecimal bet = BigDecimal.valueOf(10 + random.nextInt(5000), 2);
            events.add(CasinoEventJson.write(new CasinoEvent(new UUID(random.nextLong(), random.nextLong()),
                    "C" + random.nextInt(20_000), now.plusMillis(i / 10), win ? "win" : "bet", type + "-" + random.nextInt(40),
                    type, bet, win ? bet.multiply(BigDecimal.valueOf(2)) : null, null, null, "EUR", 1)));
        }
        return events;
    }

    /** Valid orders as JSON, of every status, the shape the orders contract's tests use. */
    private static List<byte[]> orders(int n) {
        Random random = new Random(7);
        String[] statuses = {"created", "paid", "shipped", "delivered", "cancelled"};
        Instant now = Instant.now();
        List<byte[]> orders = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            String status = statuses[random.nextInt(statuses.length)];
            orders.add(("{\"event_id\":\"" + new UUID(random.nextLong(), random.nextLong()) + "\",\"order_id\":\"ORD-"
                    + String.format("%08d", random.nextInt(100_000_000)) + "\",\"customer_id\":\"c-" + random.nextInt(20_000)
                    + "\",\"order_datetime\":\"" + now.plusMillis(i / 10) + "\",\"status\":\"" + status + "\",\"item_count\":"
                    + (1 + random.nextInt(9)) + ",\"total_amount\":" + (1 + random.nextInt(900)) + "." + (10 + random.nextInt(90))
                    + ",\"currency\":\"EUR\",\"country\":\"DE\"" + (status.equals("created") || status.equals("cancelled") ? ""
                    : ",\"payment_method\":\"card\"") + "}").getBytes(StandardCharsets.UTF_8));
        }
        return orders;
    }

    static void fill(String brokers, String topic, List<byte[]> events) throws Exception {
        fill(brokers, topic, events, null);
    }

    /** The records keyed by customer (JSON is read for its customer_id; Avro goes unkeyed), with the contentType given. */
    private static void fill(String brokers, String topic, List<byte[]> events, String contentType) throws Exception {
        Map<String, Object> props = new HashMap<>();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers);
        props.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, 262_144);
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
            byte[] type = contentType == null ? null : contentType.getBytes(StandardCharsets.UTF_8);
            for (byte[] e : events) {
                ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(topic, type != null
                        ? null : CasinoEventJson.read(e).customerId().getBytes(StandardCharsets.UTF_8), e);
                if (type != null) {
                    record.headers().add(ContractWire.CONTENT_TYPE, type);
                }
                producer.send(record);
            }
            producer.flush();
        }
    }

    static void createTopic(String brokers, String topic, int partitions) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, brokers))) {
            admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
    }

    static long endOffsets(String brokers, String topic) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, brokers))) {
            Map<TopicPartition, OffsetSpec> request = new HashMap<>();
            for (var p : admin.describeTopics(List.of(topic)).allTopicNames().get(10, TimeUnit.SECONDS).get(topic).partitions()) {
                request.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest());
            }
            return admin.listOffsets(request).all().get(10, TimeUnit.SECONDS).values().stream()
                    .mapToLong(info -> info.offset()).sum();
        } catch (Exception e) {
            return 0;
        }
    }

    private static BigDecimal orZero(BigDecimal v) {
        return v == null ? BigDecimal.ZERO : v;
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
