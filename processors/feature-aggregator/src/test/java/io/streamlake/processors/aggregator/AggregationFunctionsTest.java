package io.streamlake.processors.aggregator;

import io.streamlake.core.contract.Contract;
import io.streamlake.core.contract.ContractJson;
import io.streamlake.core.contract.ContractRepository;
import io.streamlake.core.contract.ContractWire;
import io.streamlake.core.event.InvalidEventException;
import io.streamlake.features.feast.FeastValue;
import io.streamlake.features.registry.FeatureRegistry;
import io.streamlake.features.registry.FeatureRegistryLoader;
import io.streamlake.features.row.FeatureRow;
import org.junit.jupiter.api.Test;

import java.io.StringReader;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * Every aggregation function over declared windows (a user's 10 minutes, an hour, the lifetime), on orders events
 * with late and out-of-order arrivals, against a brute-force recomputation from the raw events; and count_distinct's
 * sketch beyond its exact bound, within its error bound.
 */
class AggregationFunctionsTest {

    private static final Contract ORDERS = ContractRepository.at("").get("orders", ContractRepository.LATEST);
    private static final Instant START = Instant.parse("2026-11-23T08:00:00Z");
    private static final Duration GRACE = Duration.ofMinutes(2);

    static final String VIEW = """
            project: shop
            entities:
              - {name: customer, join_key: customer_id, value_type: String}
            feature_views:
              - name: order_stats
                entities: [customer]
                ttl: 24h
                source: {contract: orders, topic: orders-validated}
                windows: [10m, 1h]
                filter: "status != 'cancelled'"
                aggregations:
                  - {name: orders, function: count}
                  - {name: with_coupon, function: count, column: coupon_code}
                  - {name: spend, function: sum, column: total_amount}
                  - {name: items, function: sum, column: item_count}
                  - {name: basket, function: avg, column: total_amount}
                  - {name: smallest, function: min, column: total_amount}
                  - {name: largest, function: max, column: total_amount}
                  - {name: latest_status, function: last, column: status}
                  - {name: first_order, function: min, column: order_datetime}
                  - {name: spread, function: stddev, column: total_amount}
                  - {name: products, function: count_distinct, column: product_id}
                  - {name: countries, function: count_distinct, column: country, windows: [lifetime]}
                  - {name: refunded, function: sum, column: refund_amount, filter: "status == 'refunded'", windows: [lifetime]}
                features:
            %s
                  - {name: spend_per_item_1h, dtype: Float64, expression: "spend_1h / items_1h"}
            """;

    private static final String[][] FEATURES = {
            {"orders", "Int64"}, {"with_coupon", "Int64"}, {"spend", "Float64"}, {"items", "Int64"}, {"basket", "Float64"},
            {"smallest", "Float64"}, {"largest", "Float64"}, {"latest_status", "String"},
            {"first_order", "UnixTimestamp"}, {"spread", "Float64"}, {"products", "Int64"}};

    private static FeatureRegistry registry() {
        StringBuilder features = new StringBuilder();
        for (String window : List.of("10m", "1h")) {
            for (String[] f : FEATURES) {
                features.append("      - {name: ").append(f[0]).append('_').append(window).append(", dtype: ").append(f[1]).append("}\n");
            }
        }
        features.append("      - {name: countries, dtype: Int64}\n      - {name: refunded, dtype: Float64}");
        return FeatureRegistryLoader.parse("shop.yaml", new StringReader(VIEW.formatted(features)));
    }

    private static FeatureAggregator aggregator(FeatureRegistry registry) {
        return new FeatureAggregator(registry, registry.aggregatedViews(), ORDERS,
                new ContractWire(ORDERS, ContractRepository.at("")), GRACE);
    }

    /** One order event: its values in the contract's order, and when it arrived. */
    private record Order(Object[] values, int arrival) {
        Instant at() {
            return (Instant) values[ORDERS.field("order_datetime").index()];
        }

        Object get(String field) {
            return values[ORDERS.field(field).index()];
        }
    }

    private static List<Order> orders(long seed, int n) {
        Random r = new Random(seed);
        String[] statuses = {"created", "paid", "paid", "shipped", "cancelled", "refunded"};
        String[] countries = {"DE", "FR", "MT", "SE"};
        List<Order> orders = new ArrayList<>();
        Instant t = START;
        for (int i = 0; i < n; i++) {
            t = t.plusSeconds(r.nextInt(20));
            Instant at = r.nextInt(15) == 0 ? t.minusSeconds(r.nextInt(400)) : t; // late: some within the grace, some not
            String status = statuses[r.nextInt(statuses.length)];
            BigDecimal total = BigDecimal.valueOf(100 + r.nextInt(50_000), 2);
            Object[] v = new Object[ORDERS.fields().size()];
            v[ORDERS.field("event_id").index()] = UUID.randomUUID();
            v[ORDERS.field("order_id").index()] = "ORD-" + (100000 + i);
            v[ORDERS.field("customer_id").index()] = "C" + r.nextInt(4);
            v[ORDERS.field("order_datetime").index()] = at;
            v[ORDERS.field("status").index()] = status;
            v[ORDERS.field("item_count").index()] = 1 + r.nextInt(9);
            v[ORDERS.field("total_amount").index()] = total;
            v[ORDERS.field("currency").index()] = "EUR";
            v[ORDERS.field("country").index()] = countries[r.nextInt(countries.length)];
            v[ORDERS.field("payment_method").index()] = "card";
            v[ORDERS.field("coupon_code").index()] = r.nextInt(3) == 0 ? "WINTER" + r.nextInt(5) : null;
            v[ORDERS.field("refund_amount").index()] = status.equals("refunded") ? total.divide(BigDecimal.valueOf(2)) : null;
            v[ORDERS.field("product_id").index()] = r.nextInt(10) == 0 ? null : "P" + r.nextInt(40);
            orders.add(new Order(v, i));
        }
        return orders;
    }

    @Test
    void everyFunctionAndWindowEqualsARecomputationFromTheRawEvents() {
        FeatureRegistry registry = registry();
        FeatureAggregator aggregator = aggregator(registry);
        ContractJson json = new ContractJson(ORDERS);
        List<Order> orders = orders(17, 5000);
        long rejectedLate = 0;
        for (Order o : orders) {
            try {
                aggregator.accept(json.write(o.values()), null, false);
            } catch (InvalidEventException late) {
                rejectedLate++;
            }
        }
        // The brute force: the same lateness rule per customer, over events that pass the view's filter.
        Predicate<Order> inView = o -> !o.get("status").equals("cancelled");
        Map<String, List<Order>> accepted = new HashMap<>();
        Map<String, Instant> latest = new HashMap<>();
        long late = 0;
        for (Order o : orders) {
            if (!inView.test(o)) {
                continue;
            }
            String c = (String) o.get("customer_id");
            Instant l = latest.get(c);
            if (l != null && o.at().isBefore(l.minus(GRACE))) {
                late++;
                continue;
            }
            accepted.computeIfAbsent(c, k -> new ArrayList<>()).add(o);
            if (l == null || o.at().isAfter(l)) {
                latest.put(c, o.at());
            }
        }
        assertThat(late).isPositive();
        assertThat(rejectedLate).isEqualTo(late);
        assertThat(aggregator.late()).containsEntry("order_stats", late);
        ViewAggregator view = aggregator.view("order_stats");
        for (String customer : latest.keySet()) {
            FeatureRow row = view.row(customer);
            Instant at = latest.get(customer);
            assertThat(row.eventTimestamp()).isEqualTo(at);
            long m = Math.floorDiv(at.getEpochSecond(), 60);
            for (Object[] w : new Object[][] {{"10m", 10L}, {"1h", 60L}}) {
                List<Order> in = accepted.get(customer).stream().filter(o -> {
                    long om = Math.floorDiv(o.at().getEpochSecond(), 60);
                    return om >= m - (Long) w[1] + 1 && om <= m;
                }).toList();
                String s = "_" + w[0];
                String as = customer + s;
                BigDecimal spend = BigDecimal.ZERO;
                long items = 0, coupons = 0;
                BigDecimal min = null, max = null;
                Instant first = null;
                Order last = null;
                Set<Object> products = new HashSet<>();
                for (Order o : in) {
                    BigDecimal total = (BigDecimal) o.get("total_amount");
                    spend = spend.add(total);
                    items += (Integer) o.get("item_count");
                    coupons += o.get("coupon_code") == null ? 0 : 1;
                    min = min == null || total.compareTo(min) < 0 ? total : min;
                    max = max == null || total.compareTo(max) > 0 ? total : max;
                    first = first == null || o.at().isBefore(first) ? o.at() : first;
                    if (last == null || !o.at().isBefore(last.at())) {
                        last = o;
                    }
                    if (o.get("product_id") != null) {
                        products.add(o.get("product_id"));
                    }
                }
                Map<String, FeastValue> f = row.values();
                assertThat(f.get("orders" + s)).as(as).isEqualTo(FeastValue.ofInt64(in.size()));
                assertThat(f.get("with_coupon" + s)).as(as).isEqualTo(FeastValue.ofInt64(coupons));
                assertThat(f.get("spend" + s)).as(as).isEqualTo(FeastValue.ofDouble(spend.doubleValue()));
                assertThat(f.get("items" + s)).as(as).isEqualTo(FeastValue.ofInt64(items));
                assertThat(f.get("basket" + s)).as(as).isEqualTo(in.isEmpty() ? FeastValue.ofNull()
                        : FeastValue.ofDouble(spend.doubleValue() / in.size()));
                assertThat(f.get("smallest" + s)).as(as).isEqualTo(min == null ? FeastValue.ofNull() : FeastValue.ofDouble(min.doubleValue()));
                assertThat(f.get("largest" + s)).as(as).isEqualTo(max == null ? FeastValue.ofNull() : FeastValue.ofDouble(max.doubleValue()));
                assertThat(f.get("latest_status" + s)).as(as).isEqualTo(last == null ? FeastValue.ofNull()
                        : FeastValue.ofString((String) last.get("status")));
                assertThat(f.get("first_order" + s)).as(as).isEqualTo(first == null ? FeastValue.ofNull()
                        : FeastValue.ofUnixTimestamp(first.getEpochSecond()));
                assertThat(f.get("products" + s)).as(as).isEqualTo(FeastValue.ofInt64(products.size()));
                if (in.size() < 2) {
                    assertThat(f.get("spread" + s)).as(as).isEqualTo(FeastValue.ofNull());
                } else {
                    double mean = in.stream().mapToDouble(o -> ((BigDecimal) o.get("total_amount")).doubleValue()).average().orElseThrow();
                    double ss = in.stream().mapToDouble(o -> Math.pow(((BigDecimal) o.get("total_amount")).doubleValue() - mean, 2)).sum();
                    assertThat((Double) f.get("spread" + s).value()).as(as).isCloseTo(Math.sqrt(ss / (in.size() - 1)), within(1e-9));
                }
                if (w[0].equals("1h")) {
                    assertThat(f.get("spend_per_item_1h")).as(as).isEqualTo(items == 0 ? FeastValue.ofNull()
                            : FeastValue.ofDouble(spend.doubleValue() / items));
                }
            }
            // lifetime: every accepted event of the customer (none is older than the view keeps an entity)
            Set<Object> countries = new HashSet<>();
            BigDecimal refunded = BigDecimal.ZERO;
            for (Order o : accepted.get(customer)) {
                countries.add(o.get("country"));
                if (o.get("status").equals("refunded")) {
                    refunded = refunded.add((BigDecimal) o.get("refund_amount"));
                }
            }
            assertThat(row.values().get("countries")).isEqualTo(FeastValue.ofInt64(countries.size()));
            assertThat(row.values().get("refunded")).isEqualTo(FeastValue.ofDouble(refunded.doubleValue()));
        }
    }

    @Test
    void countDistinctIsExactUpToItsBoundThenASketchWithinItsErrorBound() {
        String yaml = """
                project: shop
                entities:
                  - {name: customer, join_key: customer_id, value_type: String}
                feature_views:
                  - name: reach
                    entities: [customer]
                    ttl: 1h
                    source: {contract: orders}
                    windows: [1h]
                    aggregations:
                      - {name: products, function: count_distinct, column: product_id, exact_up_to: 500}
                      - {name: ever, function: count_distinct, column: product_id, exact_up_to: 500, windows: [lifetime]}
                    features:
                      - {name: products_1h, dtype: Int64}
                      - {name: ever, dtype: Int64}
                """;
        FeatureRegistry registry = FeatureRegistryLoader.parse("reach.yaml", new StringReader(yaml));
        FeatureAggregator aggregator = aggregator(registry);
        ContractJson json = new ContractJson(ORDERS);
        Object[] v = orders(3, 1).get(0).values();
        String customer = (String) v[ORDERS.field("customer_id").index()];
        ViewAggregator view = aggregator.view("reach");
        int distinct = 0;
        for (int i = 0; i < 40_000; i++) {
            v[ORDERS.field("order_datetime").index()] = START.plusMillis(i * 50L); // 40,000 events in 33 minutes
            v[ORDERS.field("product_id").index()] = "P" + (i % 20_000); // each product twice
            aggregator.accept(json.write(v), null, false);
            distinct = Math.min(i + 1, 20_000);
            if (i == 499) {
                assertThat(view.row(customer).values())
                        .containsEntry("products_1h", FeastValue.ofInt64(500)).containsEntry("ever", FeastValue.ofInt64(500));
            }
        }
        FeatureRow row = view.row(customer);
        // HLL with 2^12 registers: relative standard error about 1.6 %; 3 standard errors is 5 %.
        assertThat((Long) row.values().get("products_1h").value()).isCloseTo(distinct, org.assertj.core.data.Percentage.withPercentage(5));
        assertThat((Long) row.values().get("ever").value()).isCloseTo(distinct, org.assertj.core.data.Percentage.withPercentage(5));
    }

    @Test
    void declarationsThatDoNotFitTheContractAreRefusedWithTheirFileAndLine() {
        String base = """
                project: shop
                entities:
                  - {name: customer, join_key: customer_id, value_type: String}
                feature_views:
                  - name: v
                    entities: [customer]
                    ttl: 1h
                    source: {contract: orders}
                    windows: [1h]
                    aggregations:
                      - %s
                    features:
                      - %s
                """;
        Object[][] cases = {
                {"{name: a, function: sum, column: country}", "{name: a_1h, dtype: Float64}", "x.yaml:11: a: sum needs a number column; country is STRING"},
                {"{name: a, function: count, column: colour}", "{name: a_1h, dtype: Int64}", "x.yaml:11: column 'colour' is not a field of the contract orders"},
                {"{name: a, function: count, filter: \"colour == 'red'\"}", "{name: a_1h, dtype: Int64}", "x.yaml:11: filter 'colour == 'red'' names 'colour'"},
                {"{name: a, function: last, column: status}", "{name: a_1h, dtype: Float64}", "x.yaml:13: feature a_1h is declared Float64 but gives a string"},
                {"{name: a, function: sum, column: total_amount}", "{name: a_1h, dtype: Int64}", "x.yaml:13: feature a_1h sums a decimal or double column"},
                {"{name: a, function: last, column: status}", "{name: b, dtype: Int64, expression: \"a_1h * 2\"}", "x.yaml:13: 'a_1h * 2': 'a_1h' is a string, not a number"},
        };
        for (Object[] c : cases) {
            FeatureRegistry registry = FeatureRegistryLoader.parse("x.yaml", new StringReader(base.formatted(c[0], c[1])));
            assertThatThrownBy(() -> aggregator(registry)).as((String) c[2]).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining((String) c[2]);
        }
    }
}
