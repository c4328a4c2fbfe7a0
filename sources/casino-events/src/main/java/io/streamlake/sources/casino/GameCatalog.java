package io.streamlake.sources.casino;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The simulated casino's games. Each game has a type, a return-to-player (RTP) near its type's typical
 * value, a hit rate, and the type's maximum win multiplier (the same limits event-validator enforces
 * by default), so simulated win/bet ratios look like real ones.
 */
final class GameCatalog {

    /** One game type's economics. */
    record GameType(String name, double rtp, double hitRate, BigDecimal maxMultiplier) {
    }

    /** One game. */
    record Game(String id, GameType type, double rtp) {
        /** Mean win multiple of a winning round, so that hitRate × mean = RTP. */
        double meanWinMultiple() {
            return rtp / type.hitRate();
        }
    }

    static final List<GameType> TYPES = List.of(
            new GameType("slots", 0.960, 0.28, new BigDecimal("5000")),
            new GameType("roulette", 0.973, 0.47, new BigDecimal("36")),
            new GameType("blackjack", 0.995, 0.43, new BigDecimal("8")),
            new GameType("poker", 0.970, 0.35, new BigDecimal("500")),
            new GameType("sports", 0.940, 0.45, new BigDecimal("1000")),
            new GameType("baccarat", 0.988, 0.46, new BigDecimal("9")));

    private final List<Game> games;

    GameCatalog(int count, SplittableRandom random) {
        if (count < 1) {
            throw new IllegalArgumentException("at least one game is needed");
        }
        List<Game> list = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            GameType type = TYPES.get(i % TYPES.size());
            double rtp = type.rtp() + (random.nextDouble() - 0.5) * 0.02; // each game within ±1 point of its type
            list.add(new Game(type.name() + "-" + String.format("%04d", i), type, rtp));
        }
        this.games = List.copyOf(list);
    }

    Game pick(SplittableRandom random) {
        // A few games are much more popular than the rest (Zipf-like): square the uniform draw.
        double u = random.nextDouble();
        return games.get((int) (u * u * games.size()));
    }

    int size() {
        return games.size();
    }
}
