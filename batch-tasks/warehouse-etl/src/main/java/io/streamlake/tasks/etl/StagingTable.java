package io.streamlake.tasks.etl;

import io.streamlake.task.PostgresCopy;

/**
 * A staging table and how a clean row of type {@code T} fills its columns by COPY (after the run_id, file and line
 * every staging row starts with). The three sources' tables are here, beside the columns {@link WarehouseSchema}
 * creates them with.
 */
record StagingTable<T>(String table, String columns, RowValues<T> values) {

    /** Writes one row's values into a COPY, in the order of {@code columns}. */
    @FunctionalInterface
    interface RowValues<T> {
        void write(PostgresCopy copy, T row);
    }

    static StagingTable<SourceRows.Activity> activity(WarehouseSchema schema) {
        return new StagingTable<>(schema.staging("activity"), "event_id, customer_id, activity_datetime, date_key, game_activity,"
                + " game_id, game_type, bet_amount, win_amount, bonus_amount, transaction_amount, currency",
                (copy, a) -> copy.value(a.eventId()).value(a.customerId()).value(a.activityDatetime()).value(dateKey(a.activityDatetime()))
                        .value(a.gameActivity()).value(a.gameId()).value(a.gameType()).value(a.betAmount()).value(a.winAmount())
                        .value(a.bonusAmount()).value(a.transactionAmount()).value(a.currency()));
    }

    /**
     * dim_date's key of an instant's UTC day, {@code 20261123}: computed here, once per row, because PostgreSQL's
     * {@code to_char} would cost the load about half a second per million rows.
     */
    static int dateKey(java.time.Instant at) {
        java.time.LocalDate day = java.time.LocalDate.ofInstant(at, java.time.ZoneOffset.UTC);
        return day.getYear() * 10_000 + day.getMonthValue() * 100 + day.getDayOfMonth();
    }

    /** Customers as {@code source} ("csv" or "api") saw them. */
    static StagingTable<SourceRows.Customer> customers(WarehouseSchema schema, String source) {
        return new StagingTable<>(schema.staging("customers"), "source, customer_id, name, email, country, vip_level, updated_at",
                (copy, c) -> copy.value(source).value(c.customerId()).value(c.name()).value(c.email()).value(c.country())
                        .value(c.vipLevel()).value(c.updatedAt()));
    }

    static StagingTable<SourceRows.Game> games(WarehouseSchema schema) {
        return new StagingTable<>(schema.staging("games"), "game_id, name, game_type, provider, rtp",
                (copy, g) -> copy.value(g.gameId()).value(g.name()).value(g.gameType()).value(g.provider()).value(g.rtp()));
    }
}
