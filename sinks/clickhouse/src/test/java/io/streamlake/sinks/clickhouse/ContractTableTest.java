package io.streamlake.sinks.clickhouse;

import io.streamlake.common.sql.SqlIdentifier;
import io.streamlake.core.contract.Contract;
import io.streamlake.core.contract.ContractAvro;
import io.streamlake.core.contract.ContractChecks;
import io.streamlake.core.contract.ContractJson;
import io.streamlake.core.contract.ContractParser;
import io.streamlake.core.contract.ContractRepository;
import io.streamlake.core.contract.ContractWire;
import io.streamlake.testsupport.TestClickHouse;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Clock;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Tables made from contracts in the real engine, and a newer contract version's field added as a column. */
class ContractTableTest {

    private static final Contract ORDERS = ContractRepository.at("").get("orders", ContractRepository.LATEST);

    @Test
    void theOrdersTableHasAColumnPerFieldWithTheMappedTypes() throws Exception {
        String database = TestClickHouse.createDatabase("contracts");
        ContractTable table = new ContractTable(SqlIdentifier.of("db", database), SqlIdentifier.of("table", "orders"));
        try (Connection c = connection()) {
            table.bootstrap(c, ORDERS);
            table.bootstrap(c, ORDERS); // idempotent
        }
        assertThat(TestClickHouse.shared().query("SELECT name || ' ' || type FROM system.columns WHERE database = '" + database
                + "' AND table = 'orders' ORDER BY position").strip().replace("\\'", "'").lines()).containsExactly(
                "event_id UUID", "order_id String", "customer_id String", "order_datetime DateTime64(3, 'UTC')",
                "status LowCardinality(String)", "item_count Int32", "total_amount Decimal(12, 2)", "currency String",
                "country String", "payment_method LowCardinality(Nullable(String))", "coupon_code Nullable(String)",
                "refund_amount Nullable(Decimal(12, 2))", "product_id Nullable(String)", "ingested_at DateTime64(3, 'UTC')");
        assertThat(TestClickHouse.shared().query("SELECT engine || ' ' || sorting_key || ' ' || partition_key FROM system.tables"
                + " WHERE database = '" + database + "' AND name = 'orders'").strip())
                .isEqualTo("ReplacingMergeTree order_id, order_datetime, event_id toYYYYMM(order_datetime)");
    }

    @Test
    void aNewerVersionsFieldsBecomeColumnsAndItsRowsInsert() throws Exception {
        String database = TestClickHouse.createDatabase("contracts");
        ContractTable table = new ContractTable(SqlIdentifier.of("db", database), SqlIdentifier.of("table", "orders"));
        String v3 = shipped().replace("\"fields\": [", "\"fields\": [{\"name\": \"gift_wrap\", \"type\": \"boolean\", \"default\": false},"
                + "{\"name\": \"note\", \"type\": [\"null\", \"string\"], \"default\": null},");
        Contract newer = ContractParser.parse("orders", 3, v3);
        try (Connection c = connection()) {
            table.bootstrap(c, ORDERS);
            assertThat(table.addColumns(c, newer)).isEqualTo(2);
            assertThat(table.addColumns(c, newer)).isZero();
            assertThat(table.columns(c)).contains("gift_wrap", "note");
        }
        // an Avro record of the newer version, as the sink turns it into a row
        Object[] values = new ContractJson(newer).read(("{\"gift_wrap\":true,\"note\":\"fragile\",\"event_id\":"
                + "\"3f2a9c1e-7b4d-4e8a-9c3b-1d2e3f4a5b6c\",\"order_id\":\"ORD-000123\",\"customer_id\":\"c-9\","
                + "\"order_datetime\":\"" + Clock.systemUTC().instant() + "\",\"status\":\"created\",\"item_count\":2,"
                + "\"total_amount\":59.90,\"currency\":\"EUR\",\"country\":\"DE\"}").getBytes(StandardCharsets.UTF_8));
        new ContractChecks(newer, Clock.systemUTC()).check(values);
        byte[] avro = new ContractAvro(newer).write(values);
        AvroRows rows = new AvroRows(new ContractRepository() {
            @Override
            public Contract get(String subject, int version) {
                return newer;
            }

            @Override
            public String describe() {
                return "the newer version";
            }
        });
        AvroRows.Row row = rows.row(avro, ContractWire.avroContentType("orders", 3));
        assertThat(new String(row.json(), StandardCharsets.UTF_8)).contains("\"gift_wrap\":true", "\"note\":\"fragile\"");
        TestClickHouse.shared().query(database, "INSERT INTO orders FORMAT JSONEachRow " + new String(row.json(), StandardCharsets.UTF_8));
        assertThat(TestClickHouse.shared().query(database, "SELECT order_id, gift_wrap, note, total_amount FROM orders").strip())
                .isEqualTo("ORD-000123\ttrue\tfragile\t59.9");
    }

    @Test
    void anOptionalSortingKeyIsRefused() {
        Contract c = ContractParser.parse("t", "{\"type\":\"record\",\"name\":\"T\",\"fields\":[{\"name\":\"a\","
                + "\"type\":[\"null\",\"string\"],\"default\":null}],\"streamlake\":{\"clickhouse\":{\"order-by\":[\"a\"]}}}");
        assertThatThrownBy(() -> new ContractTable(SqlIdentifier.of("db", "d"), SqlIdentifier.of("t", "t")).create(c))
                .hasMessageContaining("cannot be Nullable");
        assertThat(new ContractTable(SqlIdentifier.of("db", "d"), SqlIdentifier.of("t", "t")).create(ContractParser.parse("t",
                "{\"type\":\"record\",\"name\":\"T\",\"fields\":[{\"name\":\"a\",\"type\":\"string\"}]}")).get(1))
                .endsWith("ENGINE = MergeTree ORDER BY () SETTINGS non_replicated_deduplication_window = 10000");
    }

    private static Connection connection() throws Exception {
        return DriverManager.getConnection("jdbc:clickhouse://127.0.0.1:" + TestClickHouse.shared().port() + "/?compress=false",
                "default", "");
    }

    private static String shipped() throws Exception {
        try (InputStream in = ContractTableTest.class.getClassLoader().getResourceAsStream("contracts/orders.avsc")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
