package io.streamlake.core.event;

import java.util.Locale;
import java.util.Optional;

/** What a casino event records. The wire name is the lower-case constant name. */
public enum GameActivity {
    BET, WIN, BONUS, DEPOSIT, WITHDRAWAL, LOGIN, LOGOUT;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses a wire name case-insensitively, ignoring surrounding blanks. */
    public static Optional<GameActivity> fromWire(String value) {
        if (value == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(valueOf(value.strip().toUpperCase(Locale.ROOT)));
        } catch (IllegalArgumentException unknown) {
            return Optional.empty();
        }
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
