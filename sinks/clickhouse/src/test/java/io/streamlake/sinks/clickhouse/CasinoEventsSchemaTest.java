package io.streamlake.sinks.clickhouse;

import io.streamlake.common.sql.SqlIdentifier;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class CasinoEventsSchemaTest {

    private static final SqlIdentifier DB = SqlIdentifier.of("database", "streamlake");
    private static final SqlIdentifier TABLE = SqlIdentifier.of("table", "casino_events");

    @Test
    void theGateIsPartOfTheSchemaOnlyWhenWanted() {
        String gated = String.join("\n", CasinoEventsSchema.statements(DB, TABLE, Duration.ofDays(2)));
        assertThat(gated).contains("casino_events_ingest").contains("ENGINE = EmbeddedRocksDB(172800) PRIMARY KEY event_id")
                .contains("LIMIT 1 BY event_id").contains("Decimal(18, 2)");
        String plain = String.join("\n", CasinoEventsSchema.statements(DB, TABLE, null));
        assertThat(plain).doesNotContain("_ingest").doesNotContain("_ids").contains("casino_events_game_minute");
    }
}
