package io.streamlake.features.aggregation;

import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class RecentGamesTest {

    @Test
    void agreesWithAMapOfLastPlayedMinutesThroughGrowthPruningAndShrinking() {
        Random random = new Random(17);
        RecentGames games = new RecentGames();
        StringPool pool = new StringPool(16); // small: collisions replace pooled ids, which must not matter
        Map<String, Long> model = new HashMap<>();
        long minute = 0;
        for (int i = 0; i < 50_000; i++) {
            if (random.nextInt(50) == 0) {
                minute++;
                long hourStart = minute - 59;
                games.forgetBefore(hourStart);
                model.values().removeIf(last -> last < hourStart);
            }
            // A few busy phases with many games, then quiet ones with few: the table grows and shrinks.
            int spread = (i / 5_000) % 2 == 0 ? 300 : 5;
            String game = new String("game-" + random.nextInt(spread)); // a fresh instance, as every parsed event has
            long at = minute - random.nextInt(3); // late plays within the grace period
            games.played(game, at, pool);
            model.merge(game, at, Math::max);
            assertThat(games.size()).isEqualTo(model.size());
            if (i % 97 == 0) {
                long from = minute - 59;
                long to = minute;
                long expected = model.values().stream().filter(m -> m >= from && m <= to).count();
                assertThat(games.countPlayedBetween(from, to)).as("play %d", i).isEqualTo(expected);
            }
        }
    }
}
