package io.streamlake.tasks.etl;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.UUID;

/** The cleaned rows of each source, as they go to staging. */
public final class SourceRows {

    private SourceRows() {
    }

    /** A casino activity row: amounts exact with at most 2 decimals, time in UTC, codes normalized. */
    public record Activity(UUID eventId, String customerId, Instant activityDatetime, String gameActivity, String gameId,
                           String gameType, BigDecimal betAmount, BigDecimal winAmount, BigDecimal bonusAmount,
                           BigDecimal transactionAmount, String currency) {
    }

    /** A customer as one source saw it at {@code updatedAt}; dim_customer keeps a version per change (SCD 2). */
    public record Customer(String customerId, String name, String email, String country, String vipLevel,
                           Instant updatedAt) {
    }

    /** A game (dim_game, type 1: the latest wins). */
    public record Game(String gameId, String name, String gameType, String provider, BigDecimal rtp) {
    }

    /** The outcome for one source record: a clean row of type {@code T}, or the reason it was rejected. */
    public sealed interface Cleaned<T> permits Clean, Rejected {
        CsvRecord source();
    }

    public record Clean<T>(CsvRecord source, T row) implements Cleaned<T> {
    }

    public record Rejected<T>(CsvRecord source, RejectReason reason, String detail) implements Cleaned<T> {
    }
}
