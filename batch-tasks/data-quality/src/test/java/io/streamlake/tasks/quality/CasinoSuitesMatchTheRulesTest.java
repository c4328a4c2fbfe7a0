package io.streamlake.tasks.quality;

import io.streamlake.core.event.CasinoEventJson;
import io.streamlake.testsupport.TestClickHouse;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The shipped casino suite judges wins as the validator and warehouse-etl do: with the same maximum multiplier per game
 * type (the casino-activity contract's max-win-multiplier parameter), so an event both accept never fails the nightly quality check, and one above its
 * type's maximum does. Checked on the suite's own SQL, in the embedded ClickHouse.
 */
class CasinoSuitesMatchTheRulesTest {

    private static final Pattern MULTIPLIER = Pattern.compile("game_type = '(\\w+)', (\\d+)");

    @Test
    void theWinCheckUsesTheValidatorsMultipliersPerGameType() throws IOException {
        Map<String, BigDecimal> inSuite = new LinkedHashMap<>();
        Matcher m = MULTIPLIER.matcher(winCheckSql());
        while (m.find()) {
            inSuite.put(m.group(1), new BigDecimal(m.group(2)));
        }
        assertThat(inSuite).isEqualTo(CasinoEventJson.CONTRACT.parameters().get("max-win-multiplier"));
    }

    @Test
    void winsUpToTheirTypesMaximumPassAndWinsAboveItFail() throws IOException {
        String db = TestClickHouse.createDatabase("dq_rules");
        TestClickHouse.shared().query(db, "CREATE TABLE casino_events (event_id UInt32, customer_id String, game_activity String,"
                + " game_type String, bet_amount Decimal(18, 2), win_amount Decimal(18, 2), bonus_amount Decimal(18, 2))"
                + " ENGINE = MergeTree ORDER BY event_id");
        TestClickHouse.shared().query(db, "INSERT INTO casino_events VALUES"
                + " (1, 'C1', 'win', 'slots', 1.00, 5000.00, 0),"      // slots: up to 5000x, accepted by the validator
                + " (2, 'C1', 'win', 'lottery', 2.00, 150000.00, 0),"  // lottery: 75,000x of 1,000,000x
                + " (3, 'C2', 'win', 'roulette', 10.00, 370.00, 0),"   // roulette: 37x of 36x
                + " (4, 'C2', 'win', 'slots', 1.00, 5000.01, 0),"      // just above slots' maximum
                + " (5, 'C3', 'win', 'roulette', 0, 50.00, 50.00)");   // a bonus win: exempt
        String sql = winCheckSql().replace("streamlake.casino_events", db + ".casino_events").replace("SELECT event_id,",
                "SELECT arraySort(groupArray(event_id)) FROM (SELECT event_id,") + ") FORMAT TSV";
        assertThat(TestClickHouse.shared().query(db, sql).strip()).isEqualTo("[3,4]");
    }

    /** The SQL of the suite's win check, as the task runs it. */
    private static String winCheckSql() throws IOException {
        try (InputStream in = CasinoSuitesMatchTheRulesTest.class.getResourceAsStream("/quality/casino-events.yaml")) {
            String yaml = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            Matcher sql = Pattern.compile("name: wins_within_the_game_types_max_multiplier\\s+sql: >\\s+(.*?)(?:\\n\\s*- type:|\\z)",
                    Pattern.DOTALL).matcher(yaml);
            assertThat(sql.find()).as("the suite's win check").isTrue();
            return sql.group(1).replaceAll("\\s+", " ").strip();
        }
    }
}
