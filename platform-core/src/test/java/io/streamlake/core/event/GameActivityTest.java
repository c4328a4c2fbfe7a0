package io.streamlake.core.event;

import org.junit.jupiter.api.Test;

import java.util.Locale;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class GameActivityTest {

    @Test
    void everyWireNameParsesInAnyCaseWithBlanksAround() {
        for (GameActivity activity : GameActivity.values()) {
            String wire = activity.wireName();
            assertThat(wire).isEqualTo(activity.name().toLowerCase(Locale.ROOT));
            assertThat(GameActivity.fromWire(wire)).contains(activity);
            assertThat(GameActivity.fromWire(" " + wire.toUpperCase(Locale.ROOT) + "\t")).contains(activity);
            String mixed = Character.toUpperCase(wire.charAt(0)) + wire.substring(1);
            assertThat(GameActivity.fromWire(mixed)).contains(activity);
        }
    }

    @Test
    void unknownBlankAndNullAreEmpty() {
        assertThat(GameActivity.fromWire(null)).isEqualTo(Optional.empty());
        assertThat(GameActivity.fromWire("")).isEmpty();
        assertThat(GameActivity.fromWire("  ")).isEmpty();
        assertThat(GameActivity.fromWire("cashout")).isEmpty();
        assertThat(GameActivity.fromWire("bets")).isEmpty();
        assertThat(GameActivity.fromWire("be")).isEmpty();
    }
}
