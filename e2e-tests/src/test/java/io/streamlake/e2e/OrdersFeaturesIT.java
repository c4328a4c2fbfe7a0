package io.streamlake.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import io.streamlake.common.json.Json;
import io.streamlake.core.contract.Contract;
import io.streamlake.core.contract.ContractJson;
import io.streamlake.core.contract.ContractRepository;
import io.streamlake.testsupport.Await;
import io.streamlake.testsupport.KafkaTestBroker;
import io.streamlake.testsupport.StreamAppProcess;
import io.streamlake.testsupport.TestFeatureDefinitions;
import io.streamlake.testsupport.TestRedis;
import io.streamlake.testsupport.UniqueNames;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.UUID;

import static io.streamlake.testsupport.StreamAppProcess.args;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A second domain by configuration only: orders events → feature-aggregator → redis-features → feature server, the
 * same jars as the casino's, each given the shipped orders-features.yaml (under a project name of the test's own).
 * The served features, an on-demand feature and a feature service equal a recomputation from the produced orders.
 */
class OrdersFeaturesIT {

    private static final Contract ORDERS = ContractRepository.at("").get("orders", ContractRepository.LATEST);
    private static final int ORDERS_PRODUCED = 3000;

    @TempDir
    Path work;

    private static Object field(Object[] order, String name) {
        return order[ORDERS.field(name).index()];
    }

    private static List<Object[]> orders() {
        Random r = new Random(21);
        String[] statuses = {"created", "paid", "paid", "shipped", "delivered", "cancelled", "refunded"};
        Instant start = Instant.now().minus(Duration.ofMinutes(120)).truncatedTo(ChronoUnit.MILLIS);
        List<Object[]> orders = new ArrayList<>();
        for (int i = 0; i < ORDERS_PRODUCED; i++) {
            String status = statuses[r.nextInt(statuses.length)];
            BigDecimal total = BigDecimal.valueOf(500 + r.nextInt(40_000), 2);
            Object[] v = new Object[ORDERS.fields().size()];
            v[ORDERS.field("event_id").index()] = UUID.randomUUID();
            v[ORDERS.field("order_id").index()] = "ORD-" + (1_000_000 + i);
            v[ORDERS.field("customer_id").index()] = "S" + r.nextInt(30);
            v[ORDERS.field("order_datetime").index()] = start.plusMillis(i * 2000L + r.nextInt(1000));
            v[ORDERS.field("status").index()] = status;
            v[ORDERS.field("item_count").index()] = 1 + r.nextInt(6);
            v[ORDERS.field("total_amount").index()] = total;
            v[ORDERS.field("currency").index()] = "EUR";
            v[ORDERS.field("country").index()] = "MT";
            v[ORDERS.field("payment_method").index()] = status.equals("created") ? null : "card";
            v[ORDERS.field("refund_amount").index()] = status.equals("refunded") ? total.divide(BigDecimal.valueOf(4)) : null;
            v[ORDERS.field("product_id").index()] = r.nextInt(12) == 0 ? null : "P" + r.nextInt(40);
            orders.add(v);
        }
        return orders;
    }

    @Test
    void servedOrdersFeaturesEqualARecomputationFromTheOrders() throws Exception {
        String stream = UniqueNames.next("orders_features");
        String project = UniqueNames.next("shop");
        Path definitions = TestFeatureDefinitions.withProject("io/streamlake/features/orders-features.yaml", project, work);
        // One partition: the aggregator sees the orders in the order they were produced, as the recomputation does.
        String in = KafkaTestBroker.createTopic(stream + "_orders", 1);
        String rows = KafkaTestBroker.createTopic(stream + "_rows", 1);
        List<String> common = List.of("--spring.cloud.stream.kafka.binder.brokers=" + KafkaTestBroker.bootstrapServers(),
                "--streamlake.dlq.destination=" + stream + ".dlq");
        String redisUri = "redis://" + TestRedis.host() + ":" + TestRedis.port();
        List<StreamAppProcess> apps = new ArrayList<>();
        try {
            apps.add(StreamAppProcess.start("redis-features", StreamAppProcess.appJar("sinks/redis-features",
                    "redis-features-sink"), work, args(common, "--spring.cloud.stream.bindings.input.destination=" + rows,
                    "--spring.cloud.stream.bindings.input.group=" + stream, "--redis-features.uri=" + redisUri,
                    "--redis-features.definitions=" + definitions)));
            apps.add(StreamAppProcess.start("feature-aggregator", StreamAppProcess.appJar("processors/feature-aggregator",
                    "feature-aggregator"), work, args(common, "--spring.cloud.stream.bindings.input.destination=" + in,
                    "--spring.cloud.stream.bindings.input.group=" + stream,
                    "--spring.cloud.stream.bindings.output.destination=" + rows,
                    "--feature-aggregator.definitions=" + definitions)));
            StreamAppProcess server = StreamAppProcess.start("feature-server", StreamAppProcess.appJar("serving/feature-server",
                    "feature-server"), work, List.of("--feature-server.redis-uri=" + redisUri,
                    "--feature-server.definitions=" + definitions));
            apps.add(server);
            for (StreamAppProcess app : apps) {
                app.awaitHealthy(Duration.ofMinutes(3));
            }
            List<Object[]> orders = orders();
            ContractJson json = new ContractJson(ORDERS);
            try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(KafkaTestBroker.producerProperties())) {
                for (Object[] o : orders) {
                    producer.send(new ProducerRecord<>(in, ((String) field(o, "customer_id")).getBytes(StandardCharsets.UTF_8),
                            json.write(o)));
                }
                producer.flush();
            }

            List<Object[]> counted = orders.stream().filter(o -> !field(o, "status").equals("cancelled")).toList();
            WindowRecomputation<Object[]> shoppers = new WindowRecomputation<>(counted, o -> (String) field(o, "customer_id"),
                    o -> (Instant) field(o, "order_datetime"), Duration.ofMinutes(2));
            WindowRecomputation<Object[]> products = new WindowRecomputation<>(counted, o -> (String) field(o, "product_id"),
                    o -> (Instant) field(o, "order_datetime"), Duration.ofMinutes(2));
            List<String> ids = new ArrayList<>(shoppers.latest().keySet());
            assertThat(ids).hasSize(30);
            HttpClient http = HttpClient.newHttpClient();
            String request = "{\"features\": [\"shopper_orders:orders_1h\", \"shopper_orders:orders_24h\","
                    + " \"shopper_orders:spend_24h\", \"shopper_orders:avg_basket_1h\", \"shopper_orders:distinct_products_1h\","
                    + " \"shopper_orders:refund_share_24h\", \"shopper_orders:last_status\"],"
                    + " \"entities\": {\"customer_id\": [" + quoted(ids) + "]}}";
            Await.until(() -> caughtUp(post(http, server.port(), "/get-online-features", request), ids, shoppers.latest()),
                    Duration.ofMinutes(2), "the served shopper features to catch up with the orders");
            JsonNode body = post(http, server.port(), "/get-online-features", request);
            for (int i = 0; i < ids.size(); i++) {
                String s = ids.get(i);
                List<Object[]> hour = shoppers.window(s, 60);
                List<Object[]> day = shoppers.window(s, 1440);
                BigDecimal spendHour = sum(hour, "total_amount");
                BigDecimal spendDay = sum(day, "total_amount");
                BigDecimal refunded = sum(day.stream().filter(o -> field(o, "status").equals("refunded")).toList(), "refund_amount");
                String where = s + ": ";
                assertThat(body.at("/results/1/values/" + i).asLong()).as(where + "orders_1h").isEqualTo(hour.size());
                assertThat(body.at("/results/2/values/" + i).asLong()).as(where + "orders_24h").isEqualTo(day.size());
                assertThat(body.at("/results/3/values/" + i).asDouble()).as(where + "spend_24h").isEqualTo(spendDay.doubleValue());
                assertThat(body.at("/results/4/values/" + i).isNull() ? null : body.at("/results/4/values/" + i).asDouble())
                        .as(where + "avg_basket_1h").isEqualTo(hour.isEmpty() ? null : spendHour.doubleValue() / hour.size());
                assertThat(body.at("/results/5/values/" + i).asLong()).as(where + "distinct_products_1h")
                        .isEqualTo(new HashSet<>(hour.stream().map(o -> field(o, "product_id")).filter(Objects::nonNull).toList()).size());
                assertThat(body.at("/results/6/values/" + i).asDouble()).as(where + "refund_share_24h")
                        .isEqualTo(refunded.doubleValue() / spendDay.doubleValue());
                Object[] last = day.stream().max(java.util.Comparator.comparing(o -> (Instant) field(o, "order_datetime"))).orElseThrow();
                assertThat(body.at("/results/7/values/" + i).asText()).as(where + "last_status").isEqualTo(field(last, "status"));
            }

            List<String> productIds = new ArrayList<>(products.latest().keySet());
            String productRequest = "{\"features\": [\"product_sales:orders_1h\", \"product_sales:buyers_1h\"],"
                    + " \"entities\": {\"product_id\": [" + quoted(productIds) + "]}}";
            Await.until(() -> caughtUp(post(http, server.port(), "/get-online-features", productRequest), productIds,
                    products.latest()), Duration.ofMinutes(1), "the served product features to catch up");
            JsonNode sales = post(http, server.port(), "/get-online-features", productRequest);
            for (int i = 0; i < productIds.size(); i++) {
                List<Object[]> hour = products.window(productIds.get(i), 60);
                assertThat(sales.at("/results/1/values/" + i).asLong()).isEqualTo(hour.size());
                assertThat(sales.at("/results/2/values/" + i).asLong())
                        .isEqualTo(new HashSet<>(hour.stream().map(o -> field(o, "customer_id")).toList()).size());
            }

            // The feature service, with its on-demand feature and the order total as request data.
            String s0 = ids.get(0);
            BigDecimal daySpend = sum(shoppers.window(s0, 1440), "total_amount");
            double avgBasket = daySpend.doubleValue() / shoppers.window(s0, 1440).size();
            JsonNode service = post(http, server.port(), "/get-online-features", "{\"feature_service\": \"checkout_risk\","
                    + " \"entities\": {\"customer_id\": [\"" + s0 + "\"], \"order_total\": [250.0]}}");
            assertThat(service.at("/metadata/feature_names").toString())
                    .isEqualTo("[\"customer_id\",\"order_total\",\"orders_1h\",\"spend_24h\",\"refund_share_24h\",\"total_to_avg_basket_24h\"]");
            assertThat(service.at("/results/5/values/0").asDouble()).isEqualTo(250.0 / avgBasket);
            JsonNode views = get(http, server.port(), "/features/views");
            assertThat(views.at("/feature_views/0/name").asText()).isEqualTo("shopper_orders");
            assertThat(views.at("/feature_views/0/freshness/rows_written").asLong()).isPositive();
            assertThat(views.at("/feature_views/0/freshness/newest_event_timestamp").asText())
                    .isEqualTo(shoppers.latest().values().stream().max(Instant::compareTo).orElseThrow().toString());
        } catch (AssertionError | RuntimeException e) {
            StreamAppProcess.printLogTails(apps, 40);
            throw e;
        } finally {
            apps.forEach(StreamAppProcess::close);
            TestRedis.deleteKeysEndingWith(project);
        }
    }

    private static boolean caughtUp(JsonNode body, List<String> ids, Map<String, Instant> latest) {
        for (int i = 0; i < ids.size(); i++) {
            if (!body.at("/results/1/event_timestamps/" + i).asText().equals(latest.get(ids.get(i)).toString())) {
                return false;
            }
        }
        return true;
    }

    private static BigDecimal sum(List<Object[]> orders, String field) {
        return orders.stream().map(o -> (BigDecimal) field(o, field)).filter(Objects::nonNull)
                .reduce(BigDecimal.ZERO, BigDecimal::add);
    }

    private static String quoted(List<String> ids) {
        return ids.stream().map(c -> "\"" + c + "\"").reduce((a, b) -> a + "," + b).orElseThrow();
    }

    private static JsonNode post(HttpClient http, int port, String path, String request) {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(request)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return Json.mapper().readTree(r.body());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode get(HttpClient http, int port, String path) throws Exception {
        return Json.mapper().readTree(http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString()).body());
    }
}
