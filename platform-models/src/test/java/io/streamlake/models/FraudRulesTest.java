package io.streamlake.models;

import io.streamlake.features.registry.FeatureRegistry;
import io.streamlake.features.registry.FeatureRegistryLoader;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The shipped rules and the rules file's checks: what fires on which values, and what fails to load, naming the rule. */
class FraudRulesTest {

    private static final FeatureRegistry CASINO = FeatureRegistryLoader.casino();

    /** Values in the rules' order: the event's names, then the features the rules read. */
    private static Object[] values(FraudRules rules, String activity, String bet, String bonus, Object... features) {
        Object[] v = new Object[FraudRules.EVENT_NAMES.size() + rules.features().size()];
        v[0] = activity;
        v[1] = "slots";
        v[2] = new BigDecimal(bet);
        v[3] = BigDecimal.ZERO;
        v[4] = new BigDecimal(bonus);
        for (int i = 0; i < features.length; i++) {
            v[FraudRules.EVENT_NAMES.size() + i] = features[i];
        }
        return v;
    }

    @Test
    void theShippedRulesFireOnWhatTheySayAndANullFeatureFiresNothing() {
        FraudRules rules = FraudRules.load("classpath:fraud-rules.yaml", CASINO);
        assertThat(rules.rules()).extracting(FraudRules.Rule::code)
                .containsExactly("BET_ABOVE_10X_AVERAGE", "WIN_STREAK", "BONUS_SHARE");
        assertThat(rules.features()).containsExactly("customer_activity:avg_bet_1h", "customer_activity:win_count_5m",
                "customer_activity:bet_count_5m", "customer_activity:bonus_share_24h");
        // features: avg_bet_1h, win_count_5m, bet_count_5m, bonus_share_24h
        assertThat(rules.fired(values(rules, "bet", "20.01", "0", 2.0, 1L, 3L, 0.01))).containsExactly("BET_ABOVE_10X_AVERAGE");
        assertThat(rules.fired(values(rules, "bet", "20.00", "0", 2.0, 1L, 3L, 0.01))).isEmpty(); // not above ten times
        assertThat(rules.fired(values(rules, "win", "500", "0", 2.0, 1L, 3L, 0.01))).isEmpty(); // only bets
        assertThat(rules.fired(values(rules, "win", "5", "0", 2.0, 12L, 13L, 0.01))).containsExactly("WIN_STREAK");
        assertThat(rules.fired(values(rules, "win", "5", "0", 2.0, 12L, 14L, 0.01))).isEmpty(); // 12 of 14 is below 90%
        assertThat(rules.fired(values(rules, "win", "5", "0", 2.0, 11L, 11L, 0.01))).isEmpty(); // fewer than twelve
        assertThat(rules.fired(values(rules, "bonus", "0", "5", 2.0, 0L, 1L, 0.51))).containsExactly("BONUS_SHARE");
        assertThat(rules.fired(values(rules, "bet", "500", "0", null, null, null, null))).isEmpty();
        assertThat(rules.fired(values(rules, "bet", "500", "0", 2.0, 12L, 12L, 0.9)))
                .containsExactly("BET_ABOVE_10X_AVERAGE", "WIN_STREAK", "BONUS_SHARE");
    }

    @Test
    void aRuleOnAnUnknownNameOrThatIsNotAConditionFailsToLoadNamingIt() {
        assertThatThrownBy(() -> FraudRules.parse("rules:\n  - code: NO_SUCH\n    when: \"customer_activity.nope > 1\"\n",
                "test.yaml", CASINO)).hasMessageContaining("test.yaml").hasMessageContaining("NO_SUCH");
        assertThatThrownBy(() -> FraudRules.parse("rules:\n  - code: SUM\n    when: \"bet_amount + 1\"\n", "test.yaml", CASINO))
                .hasMessageContaining("SUM").hasMessageContaining("not a condition");
        assertThatThrownBy(() -> FraudRules.parse("rules:\n  - when: \"bet_amount > 1\"\n", "test.yaml", CASINO))
                .hasMessageContaining("'code' and 'when'");
        assertThatThrownBy(() -> FraudRules.parse("nothing: here\n", "test.yaml", CASINO)).hasMessageContaining("'rules' list");
        assertThatThrownBy(() -> FraudRules.load("classpath:no-such-rules.yaml", CASINO)).hasMessageContaining("no rules file");
    }
}
