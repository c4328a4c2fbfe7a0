package io.streamlake.processors.aggregator;

/**
 * The games one customer played in the last hour, each with the minute it was last played: an open-addressing table
 * of pooled game ids beside their minutes. About 24 bytes a game where a {@code HashMap<String, Long>} takes about
 * 60, which matters at tens of thousands of customers times dozens of games each.
 */
final class RecentGames {

    private String[] games = new String[8];
    private long[] minutes = new long[8];
    private int size;

    /** Records a play of {@code game} (a pooled instance when {@code pool} has one) in {@code minute}. */
    void played(String game, long minute, StringPool pool) {
        int i = slot(games, game);
        if (games[i] != null) {
            minutes[i] = Math.max(minutes[i], minute);
            return;
        }
        if ((size + 1) * 2 > games.length) {
            rebuild(games.length * 2, Long.MIN_VALUE);
            i = slot(games, game);
        }
        games[i] = pool.canonical(game);
        minutes[i] = minute;
        size++;
    }

    /** How many games were last played in minutes {@code from} to {@code to}. */
    long countPlayedBetween(long from, long to) {
        long n = 0;
        for (int i = 0; i < games.length; i++) {
            if (games[i] != null && minutes[i] >= from && minutes[i] <= to) {
                n++;
            }
        }
        return n;
    }

    /** Forgets the games last played before {@code minute}. */
    void forgetBefore(long minute) {
        int capacity = games.length;
        while (capacity > 8 && size * 4 < capacity) {
            capacity /= 2; // shrink with the customer's activity, so an idle spell gives memory back
        }
        rebuild(capacity, minute);
    }

    int size() {
        return size;
    }

    private void rebuild(int capacity, long keepFrom) {
        String[] oldGames = games;
        long[] oldMinutes = minutes;
        games = new String[capacity];
        minutes = new long[capacity];
        size = 0;
        for (int j = 0; j < oldGames.length; j++) {
            if (oldGames[j] != null && oldMinutes[j] >= keepFrom) {
                int i = slot(games, oldGames[j]);
                games[i] = oldGames[j];
                minutes[i] = oldMinutes[j];
                size++;
            }
        }
    }

    /** The slot holding {@code game}, or the free slot where it would go. */
    private static int slot(String[] table, String game) {
        int mask = table.length - 1;
        int h = game.hashCode();
        int i = (h ^ (h >>> 16)) & mask;
        for (String k; (k = table[i]) != null; i = (i + 1) & mask) {
            if (k == game || k.equals(game)) {
                return i;
            }
        }
        return i;
    }
}
