package io.streamlake.core.event;

import java.util.Locale;
import java.util.Optional;

/** What a casino event records. The wire name is the lower-case constant name. */
public enum GameActivity {
    BET, WIN, BONUS, DEPOSIT, WITHDRAWAL, LOGIN, LOGOUT;

    private static final GameActivity[] ALL = values();

    private final String wireName = name().toLowerCase(Locale.ROOT);

    public String wireName() {
        return wireName;
    }

    /** Parses a wire name case-insensitively, ignoring surrounding blanks. */
    public static Optional<GameActivity> fromWire(String value) {
        if (value == null) {
            return Optional.empty();
        }
        String name = value.strip();
        for (GameActivity activity : ALL) { // seven names: a scan beats upper-casing a copy of every event's value
            if (activity.wireName.equalsIgnoreCase(name)) {
                return Optional.of(activity);
            }
        }
        return Optional.empty();
    }

    /** Activities that belong to a game round and so carry game_id and game_type. */
    public boolean isGameplay() {
        return this == BET || this == WIN || this == BONUS;
    }

    /** Activities that move money and so carry a currency. */
    public boolean movesMoney() {
        return this != LOGIN && this != LOGOUT;
    }
}
