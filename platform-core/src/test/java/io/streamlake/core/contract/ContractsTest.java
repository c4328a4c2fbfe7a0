package io.streamlake.core.contract;

import io.streamlake.core.event.InvalidEventException;
import io.streamlake.core.event.RejectionReason;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The shipped contracts, the checks a contract declares, and its Avro form with schema evolution. */
class ContractsTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-23T20:00:00Z"), ZoneOffset.UTC);
    private static final ContractRepository SHIPPED = ContractRepository.at("");
    private static final Contract ORDERS = SHIPPED.get("orders", ContractRepository.LATEST);
    static final String VALID_ORDER = "{\"event_id\":\"3f2a9c1e-7b4d-4e8a-9c3b-1d2e3f4a5b6c\",\"order_id\":\"ord-000123\","
            + "\"customer_id\":\"c-9\",\"order_datetime\":\"2026-11-23T19:59:00.000Z\",\"status\":\"PAID\",\"item_count\":2,"
            + "\"total_amount\":59.90,\"currency\":\"eur\",\"country\":\"de\",\"payment_method\":\"card\"}";

    @ParameterizedTest
    @ValueSource(strings = {"casino-activity", "orders", "user-interaction", "user-profile"})
    void theShippedContractsParseWithKeysAndDedup(String subject) {
        Contract c = SHIPPED.get(subject, ContractRepository.LATEST);
        assertThat(c.fields()).isNotEmpty();
        assertThat(c.key()).isNotNull();
        assertThat(c.dedupKey()).isNotNull();
        assertThat(c.eventTime().type()).isEqualTo(FieldType.TIMESTAMP_MILLIS);
    }

    @Test
    void aValidOrderIsNormalized() {
        Object[] v = read(VALID_ORDER);
        new ContractChecks(ORDERS, CLOCK).check(v);
        assertThat(new String(new ContractJson(ORDERS).write(v), StandardCharsets.UTF_8)).isEqualTo(
                "{\"event_id\":\"3f2a9c1e-7b4d-4e8a-9c3b-1d2e3f4a5b6c\",\"order_id\":\"ORD-000123\",\"customer_id\":\"c-9\","
                        + "\"order_datetime\":\"2026-11-23T19:59:00.000Z\",\"status\":\"paid\",\"item_count\":2,"
                        + "\"total_amount\":59.90,\"currency\":\"EUR\",\"country\":\"DE\",\"payment_method\":\"card\"}");
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = '|', value = {
            "MISSING_FIELD|order_id|\"order_id\":\"ord-000123\",|",
            "PATTERN_MISMATCH|order_id|\"order_id\":\"ord-000123\"|\"order_id\":\"123\"",
            "VALUE_TOO_LONG|customer_id|\"customer_id\":\"c-9\"|\"customer_id\":\"cccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc\"",
            "TIMESTAMP_OUT_OF_RANGE|order_datetime|2026-11-23T19:59|2026-09-01T19:59",
            "NOT_ALLOWED_VALUE|status|PAID|lost",
            "OUT_OF_RANGE|item_count|\"item_count\":2|\"item_count\":0",
            "OUT_OF_RANGE|item_count|\"item_count\":2|\"item_count\":1001",
            "NEGATIVE_AMOUNT|total_amount|59.90|-59.90",
            "INVALID_AMOUNT|total_amount|59.90|59.901",
            "INVALID_AMOUNT|total_amount|59.90|12345678901.5",
            "UNKNOWN_CURRENCY|currency|eur|xyz",
            "PATTERN_MISMATCH|country|\"de\"|\"deu\"",
            "NOT_ALLOWED_VALUE|payment_method|card|cash",
            "MISSING_FIELD|payment_method|,\"payment_method\":\"card\"|",
            "MISSING_FIELD|refund_amount|PAID|refunded",
            "WRONG_TYPE|item_count|\"item_count\":2|\"item_count\":\"2\"",
            "WRONG_TYPE|event_id|3f2a9c1e-7b4d|3f2a9c1e-xxxx"})
    void everyKindOfCheckNamesTheField(RejectionReason reason, String field, String from, String to) {
        String json = VALID_ORDER.replace(from, to == null ? "" : to);
        assertThat(json).isNotEqualTo(VALID_ORDER);
        assertThatThrownBy(() -> new ContractChecks(ORDERS, CLOCK).check(read(json)))
                .isInstanceOfSatisfying(InvalidEventException.class, e -> {
                    assertThat(e.reason()).isEqualTo(reason);
                    assertThat(e.field()).isEqualTo(field);
                    assertThat(e.getMessage()).contains(field);
                });
    }

    @Test
    void rulesAreSpelOverFieldsAndParameters() {
        String refunded = VALID_ORDER.replace("PAID", "refunded").replace("}", ",\"refund_amount\":%s}");
        ContractChecks checks = new ContractChecks(ORDERS, CLOCK);
        checks.check(read(refunded.formatted("59.90")));
        assertThatThrownBy(() -> checks.check(read(refunded.formatted("59.91"))))
                .isInstanceOfSatisfying(InvalidEventException.class, e -> {
                    assertThat(e.reason()).isEqualTo(RejectionReason.RULE_VIOLATED);
                    assertThat(e.field()).isEqualTo("refund_amount");
                    assertThat(e.getMessage()).contains("refund-within-total", "refund_amount=59.91");
                });
        Contract casino = SHIPPED.get("casino-activity", 0).withParameters(Map.of("max-win-multiplier", Map.of("roulette", 40)));
        assertThat(((Map<?, ?>) casino.parameters().get("max-win-multiplier")).get("roulette")).isEqualTo(new BigDecimal("40"));
        assertThat(((Map<?, ?>) casino.parameters().get("max-win-multiplier")).get("slots")).as("merged, not replaced")
                .isEqualTo(new BigDecimal("5000"));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "unknown property|\"streamlake\": {\"maxlength\": 3}|unknown property 'maxlength'",
            "unknown reason|\"streamlake\": {\"enum\": [\"a\"], \"reason\": \"NOPE\"}|unknown reason NOPE",
            "bad pattern|\"streamlake\": {\"pattern\": \"[a-\"}|pattern",
            "enum of the wrong type|\"streamlake\": {\"enum\": [1]}|expected a string, got 1"})
    void contractsWithTyposAreRefused(String what, String property, String message) {
        String avsc = "{\"type\":\"record\",\"name\":\"T\",\"fields\":[{\"name\":\"a\",\"type\":\"string\"," + property + "}]}";
        assertThatThrownBy(() -> ContractParser.parse("t", avsc)).isInstanceOf(ContractException.class).hasMessageContaining(message);
        assertThatThrownBy(() -> ContractParser.parse("t", "{\"type\":\"record\",\"name\":\"T\",\"fields\":[{\"name\":\"a\","
                + "\"type\":\"string\"}],\"streamlake\":{\"rules\":[{\"check\":\"a ==\"}]}}"))
                .isInstanceOf(ContractException.class).hasMessageContaining("not a SpEL expression");
        assertThatThrownBy(() -> ContractParser.parse("t", "{\"type\":\"record\",\"name\":\"T\",\"fields\":[{\"name\":\"a\","
                + "\"type\":\"string\"}],\"streamlake\":{\"key\":\"b\"}}")).hasMessageContaining("no field 'b'");
        assertThatThrownBy(() -> ContractParser.parse("t", "{\"type\":\"record\",\"name\":\"T\",\"fields\":[{\"name\":\"a\","
                + "\"type\":{\"type\":\"array\",\"items\":\"int\"}}]}")).hasMessageContaining("not supported");
        assertThatThrownBy(() -> ContractParser.parse("t", "{\"type\":\"record\"")).hasMessageContaining("not a valid Avro schema");
    }

    @Test
    void spelRulesCannotReachTypesOrBeans() {
        Contract c = ContractParser.parse("t", "{\"type\":\"record\",\"name\":\"T\",\"fields\":[{\"name\":\"a\",\"type\":\"string\"}],"
                + "\"streamlake\":{\"rules\":[{\"name\":\"exit\",\"check\":\"T(java.lang.System).exit(1) == null\"}]}}");
        assertThatThrownBy(() -> new ContractChecks(c, CLOCK).check(new Object[] {"x"}))
                .isInstanceOfSatisfying(InvalidEventException.class, e -> assertThat(e.getMessage()).contains("could not be evaluated"));
    }

    @Test
    void avroRoundTripsEveryValue() {
        Object[] v = read(VALID_ORDER.replace("PAID", "refunded").replace("}", ",\"refund_amount\":5.5,\"coupon_code\":\"X\"}"));
        new ContractChecks(ORDERS, CLOCK).check(v);
        ContractAvro avro = new ContractAvro(ORDERS);
        Object[] back = avro.read(avro.write(v), 0, ORDERS.schema());
        assertThat(back[11]).isEqualTo(new BigDecimal("5.50")); // the schema's scale
        back[11] = v[11];
        assertThat(back).containsExactly(v);
    }

    @Test
    void aConsumerOnVersionNReadsRecordsOfNMinusOneAndNPlusOne() throws IOException {
        String v2 = shipped("orders");
        String v1 = v2.replace("""
                    {"name": "coupon_code", "type": ["null", "string"], "default": null, "doc": "A coupon applied, if any.",
                     "streamlake": {"max-length": 32}},
                """, "");
        String v3 = v2.replace("\"fields\": [", "\"fields\": [{\"name\": \"gift_wrap\", \"type\": \"boolean\", \"default\": false},");
        assertThat(v1).doesNotContain("coupon_code");
        Contract older = ContractParser.parse("orders", 1, v1);
        Contract newer = ContractParser.parse("orders", 3, v3);
        ContractChecks checks = new ContractChecks(ORDERS, CLOCK);

        Object[] fromOlder = new ContractJson(older).read(VALID_ORDER.getBytes(StandardCharsets.UTF_8));
        new ContractChecks(older, CLOCK).check(fromOlder);
        Object[] read = new ContractAvro(ORDERS).read(new ContractAvro(older).write(fromOlder), 0, older.schema());
        checks.check(read);
        assertThat(read[ORDERS.field("coupon_code").index()]).as("a field the writer did not have: its default").isNull();
        assertThat(read[ORDERS.field("order_id").index()]).isEqualTo("ORD-000123");

        Object[] fromNewer = new ContractJson(newer).read(VALID_ORDER.replace("}", ",\"gift_wrap\":true,\"coupon_code\":\"C1\"}")
                .getBytes(StandardCharsets.UTF_8));
        new ContractChecks(newer, CLOCK).check(fromNewer);
        read = new ContractAvro(ORDERS).read(new ContractAvro(newer).write(fromNewer), 0, newer.schema());
        checks.check(read);
        assertThat(read[ORDERS.field("coupon_code").index()]).isEqualTo("C1");
        assertThat(read).hasSize(ORDERS.fields().size()); // gift_wrap, unknown to this reader, is skipped
    }

    @Test
    void theWireTellsJsonHeaderAvroAndConfluentFramingApart() {
        Object[] v = read(VALID_ORDER);
        new ContractChecks(ORDERS, CLOCK).check(v);
        byte[] avro = new ContractAvro(ORDERS).write(v);
        ContractRepository withIds = new ContractRepository() {
            @Override
            public Contract get(String subject, int version) {
                return SHIPPED.get(subject, version);
            }

            @Override
            public Schema writerSchema(int id) {
                if (id != 7) {
                    throw new InvalidEventException(RejectionReason.UNKNOWN_SCHEMA, null, "no id " + id);
                }
                return ORDERS.schema();
            }

            @Override
            public String describe() {
                return "ids";
            }
        };
        ContractWire wire = new ContractWire(ORDERS, withIds);
        assertThat(wire.read(new ContractJson(ORDERS).write(v), null)).containsExactly(v);
        assertThat(wire.read(avro, ContractWire.avroContentType("orders", 1))).containsExactly(v);
        assertThat(wire.read(avro, ContractWire.avroContentType("orders", 1).getBytes(StandardCharsets.UTF_8))).containsExactly(v);
        assertThat(wire.read(ContractWire.confluentFrame(7, avro), null)).containsExactly(v);

        assertReason(() -> wire.read(Arrays.copyOf(avro, avro.length - 3), ContractWire.avroContentType("orders", 1)),
                RejectionReason.MALFORMED_AVRO);
        assertReason(() -> wire.read(ContractWire.confluentFrame(8, avro), null), RejectionReason.UNKNOWN_SCHEMA);
        assertReason(() -> wire.read(new byte[] {0, 0, 7}, null), RejectionReason.MALFORMED_AVRO);
        assertReason(() -> wire.read(avro, "application/vnd.nope.v1+avro"), RejectionReason.UNKNOWN_SCHEMA);
        assertReason(() -> wire.read(avro, "application/x+avro"), RejectionReason.UNKNOWN_SCHEMA);
        assertReason(() -> new ContractWire(ORDERS, SHIPPED).read(ContractWire.confluentFrame(7, avro), null),
                RejectionReason.UNKNOWN_SCHEMA);
    }

    private static void assertReason(Runnable read, RejectionReason reason) {
        assertThatThrownBy(read::run).isInstanceOfSatisfying(InvalidEventException.class,
                e -> assertThat(e.reason()).isEqualTo(reason));
    }

    private static Object[] read(String json) {
        return new ContractJson(ORDERS).read(json.getBytes(StandardCharsets.UTF_8));
    }

    static String shipped(String subject) throws IOException {
        try (InputStream in = ContractsTest.class.getClassLoader().getResourceAsStream("contracts/" + subject + ".avsc")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
