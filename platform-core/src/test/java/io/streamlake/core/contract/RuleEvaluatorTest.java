package io.streamlake.core.contract;

import io.streamlake.core.event.CasinoEventJson;
import io.streamlake.core.event.InvalidEventException;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Random;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** Rules evaluated by RuleEvaluator's nodes give SpEL's own outcome, record for record. */
class RuleEvaluatorTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-23T20:00:00Z"), ZoneOffset.UTC);
    private static final String[] AMOUNTS = {null, "0", "1", "2.50", "36", "36.01", "100", "5000", "1000000", "180000.25"};

    @Test
    void theCasinoRuleGivesSpelsOutcomeOnGeneratedWins() {
        assertThat(RuleEvaluator.compile(CasinoEventJson.CONTRACT.rules().get(0).check(), CasinoEventJson.CONTRACT))
                .as("the casino rule is one of the shapes compiled").isNotNull();
        assertThat(RuleEvaluator.compile(CasinoEventJson.CONTRACT.rules().get(0).unless(), CasinoEventJson.CONTRACT)).isNotNull();
        ContractChecks compiled = new ContractChecks(CasinoEventJson.CONTRACT, CLOCK);
        ContractChecks interpreted = new ContractChecks(CasinoEventJson.CONTRACT, CLOCK, false);
        Random random = new Random(3);
        String[] types = {"slots", "roulette", "blackjack", "lottery"};
        int rejected = 0;
        for (int i = 0; i < 20_000; i++) {
            StringBuilder json = new StringBuilder("{\"event_id\":\"" + new UUID(random.nextLong(), random.nextLong())
                    + "\",\"customer_id\":\"C1\",\"activity_datetime\":\"2026-11-23T19:59:00Z\",\"game_activity\":\"win\","
                    + "\"game_id\":\"g\",\"game_type\":\"" + types[random.nextInt(types.length)] + "\",\"currency\":\"EUR\"");
            for (String f : new String[] {"bet_amount", "win_amount", "bonus_amount"}) {
                String a = AMOUNTS[random.nextInt(AMOUNTS.length)];
                if (a != null) {
                    json.append(",\"").append(f).append("\":").append(a);
                }
            }
            byte[] bytes = json.append('}').toString().getBytes(StandardCharsets.UTF_8);
            String a = outcome(compiled, bytes), b = outcome(interpreted, bytes);
            assertThat(a).as(json.toString()).isEqualTo(b);
            rejected += a.startsWith("WIN_EXCEEDS") ? 1 : 0;
        }
        assertThat(rejected).as("the rule refused some").isBetween(500, 19_000);
    }

    @Test
    void everyShapeAgreesWithSpel() {
        String avsc = """
                {"type": "record", "name": "T", "fields": [
                  {"name": "s", "type": ["null", "string"], "default": null},
                  {"name": "n", "type": ["null", "int"], "default": null},
                  {"name": "d", "type": ["null", {"type": "bytes", "logicalType": "decimal", "precision": 9, "scale": 2}], "default": null},
                  {"name": "x", "type": ["null", "double"], "default": null}],
                 "streamlake": {"parameters": {"limits": {"a": 10, "b": 2.5}}, "rules": [%s]}}""";
        String[] checks = {"s == 'a' || n > 3", "!(d != null && d >= 2.5)", "d * 2 <= #parameters['limits'][#root.s]",
                "n + 1 == 5 && s != null", "d - 1 < n", "x > 1", "s < 'b'", "#parameters['limits']['a'] == 10"};
        Random random = new Random(5);
        String[] s = {null, "a", "b", "c"};
        String[] n = {null, "0", "4", "7"};
        String[] d = {null, "1.00", "2.5", "5", "12.34"};
        String[] x = {null, "0.5", "2.0"};
        for (String check : checks) {
            Contract contract = ContractParser.parse("t", avsc.formatted("{\"name\": \"r\", \"check\": \"" + check + "\"}"));
            ContractChecks compiled = new ContractChecks(contract, CLOCK);
            ContractChecks interpreted = new ContractChecks(contract, CLOCK, false);
            for (int i = 0; i < 400; i++) {
                String json = "{" + field("s", s[random.nextInt(s.length)], true) + "," + field("n", n[random.nextInt(n.length)], false)
                        + "," + field("d", d[random.nextInt(d.length)], false) + "," + field("x", x[random.nextInt(x.length)], false) + "}";
                byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
                assertThat(outcome(compiled, bytes)).as(check + " on " + json).isEqualTo(outcome(interpreted, bytes));
            }
        }
    }

    private static String field(String name, String value, boolean text) {
        return "\"" + name + "\":" + (value == null ? "null" : text ? "\"" + value + "\"" : value);
    }

    private static String outcome(ContractChecks checks, byte[] json) {
        try {
            checks.check(new ContractJson(checks.contract()).read(json));
            return "accepted";
        } catch (InvalidEventException e) {
            return e.reason() + " " + e.getMessage().replaceAll("could not be evaluated on this record: .*", "could not be evaluated");
        }
    }
}
