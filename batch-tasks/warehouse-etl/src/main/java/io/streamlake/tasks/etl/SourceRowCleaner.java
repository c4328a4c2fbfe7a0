package io.streamlake.tasks.etl;

import io.streamlake.core.contract.Contract;
import io.streamlake.core.contract.ContractChecks;
import io.streamlake.core.event.InvalidEventException;
import java.math.BigDecimal;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;

/**
 * Cleans and validates source records (CSV lines or API items alike): trims, normalizes case, reads dates in
 * several formats to UTC and amounts exactly; a record that cannot be made right is rejected with the reason and
 * the field. Spring-free: the job wires it into its steps.
 */
public final class SourceRowCleaner {

    /** Header spellings seen in exports, mapped to the canonical column names. */
    private static final Map<String, String> ALIASES = Map.ofEntries(
            Map.entry("id", "event_id"), Map.entry("transaction_id", "event_id"), Map.entry("eventid", "event_id"),
            Map.entry("customer", "customer_id"), Map.entry("player_id", "customer_id"), Map.entry("customerid", "customer_id"),
            Map.entry("timestamp", "activity_datetime"), Map.entry("activity_time", "activity_datetime"),
            Map.entry("datetime", "activity_datetime"), Map.entry("event_time", "activity_datetime"),
            Map.entry("activity", "game_activity"), Map.entry("activity_type", "game_activity"),
            Map.entry("game", "game_id"), Map.entry("type", "game_type"),
            Map.entry("bet", "bet_amount"), Map.entry("stake", "bet_amount"), Map.entry("win", "win_amount"),
            Map.entry("payout", "win_amount"), Map.entry("bonus", "bonus_amount"), Map.entry("amount", "transaction_amount"),
            Map.entry("ccy", "currency"), Map.entry("customer_name", "name"), Map.entry("full_name", "name"),
            Map.entry("vip", "vip_level"), Map.entry("tier", "vip_level"), Map.entry("country_code", "country"),
            Map.entry("last_updated", "updated_at"), Map.entry("modified_at", "updated_at"),
            Map.entry("game_name", "name"), Map.entry("return_to_player", "rtp"));

    private static final Set<String> COUNTRIES = Set.of(Locale.getISOCountries());

    private final SourceTimestamps timestamps;
    private final Contract casino;
    private final ContractChecks checks;
    private final Set<String> gameTypes;

    /**
     * {@code casino}: the casino-activity contract event-validator checks the stream with (its parameters as this app
     * configures them); the batch applies all its rules but the event-time bounds (history is old by nature).
     */
    public SourceRowCleaner(SourceTimestamps timestamps, Contract casino) {
        this.timestamps = timestamps;
        this.casino = casino.withoutEventTimeBounds();
        this.checks = new ContractChecks(this.casino, Clock.systemUTC());
        this.gameTypes = casino.parameters().get("max-win-multiplier") instanceof Map<?, ?> m
                ? m.keySet().stream().map(String::valueOf).collect(java.util.stream.Collectors.toUnmodifiableSet()) : Set.of();
    }

    /** The canonical name of a header cell: lower case, spaces and dashes as underscores, known aliases resolved. */
    public static String canonicalColumn(String header) {
        String n = header.replace("\uFEFF", "").strip().toLowerCase(Locale.ROOT).replaceAll("[\\s\\-]+", "_");
        return ALIASES.getOrDefault(n, n);
    }

    public SourceRows.Cleaned<SourceRows.Activity> activity(CsvRecord r) {
        return clean(r, this::activityRow);
    }

    public SourceRows.Cleaned<SourceRows.Customer> customer(CsvRecord r) {
        return clean(r, this::customerRow);
    }

    public SourceRows.Cleaned<SourceRows.Game> game(CsvRecord r) {
        return clean(r, this::gameRow);
    }

    private static <T> SourceRows.Cleaned<T> clean(CsvRecord r, Function<CsvRecord, T> cleaner) {
        if (r.problem() != null) {
            return new SourceRows.Rejected<>(r, RejectReason.MALFORMED_ROW, r.problem());
        }
        for (String value : r.fields().values()) {
            if (hasNul(value)) { // rare: only then look for the field's name
                for (Map.Entry<String, String> f : r.fields().entrySet()) {
                    if (hasNul(f.getValue())) {
                        return new SourceRows.Rejected<>(r, RejectReason.INVALID_CHARACTER, f.getKey() + " contains a NUL character");
                    }
                }
            }
        }
        try {
            return new SourceRows.Clean<>(r, cleaner.apply(r));
        } catch (Rejection e) {
            return new SourceRows.Rejected<>(r, e.reason(), e.getMessage());
        }
    }

    /**
     * The row read into the contract's values (UUID, timestamps in the configured formats, exact decimals in the
     * spellings exports use), then judged by the contract's checks, exactly as event-validator judges an event.
     */
    private SourceRows.Activity activityRow(CsvRecord r) {
        Object[] v = new Object[casino.fields().size()];
        String eventId = r.get("event_id");
        v[index("event_id")] = eventId == null ? null : uuid(eventId, "event_id");
        v[index("customer_id")] = r.get("customer_id");
        String at = r.get("activity_datetime");
        v[index("activity_datetime")] = at == null ? null : timestamps.instant(at, "activity_datetime");
        for (String text : List.of("game_activity", "game_id", "game_type", "currency")) {
            v[index(text)] = r.get(text);
        }
        for (String amount : List.of("bet_amount", "win_amount", "bonus_amount", "transaction_amount")) {
            String t = r.get(amount);
            v[index(amount)] = t == null ? null : decimal(t, amount);
        }
        v[index("schema_version")] = casino.field("schema_version").defaultValue();
        try {
            checks.check(v);
        } catch (InvalidEventException e) {
            throw Rejection.of(e);
        }
        return new SourceRows.Activity((UUID) v[0], (String) v[1], (java.time.Instant) v[2], (String) v[3], (String) v[4],
                (String) v[5], (BigDecimal) v[6], (BigDecimal) v[7], (BigDecimal) v[8], (BigDecimal) v[9], (String) v[10]);
    }

    private int index(String field) {
        return casino.field(field).index();
    }

    private SourceRows.Customer customerRow(CsvRecord r) {
        String country = r.get("country");
        if (country != null) {
            country = country.toUpperCase(Locale.ROOT);
            if (!COUNTRIES.contains(country)) {
                throw new Rejection(RejectReason.INVALID_COUNTRY, "country", "country '" + country + "' is not an ISO 3166 alpha-2 code");
            }
        }
        String email = lower(r.get("email"));
        return new SourceRows.Customer(required(r, "customer_id"), collapse(r.get("name")), email, country,
                lower(r.get("vip_level")), timestamps.instant(required(r, "updated_at"), "updated_at"));
    }

    private SourceRows.Game gameRow(CsvRecord r) {
        String type = lower(required(r, "game_type"));
        if (!gameTypes.contains(type)) {
            throw new Rejection(RejectReason.UNKNOWN_GAME_TYPE, "game_type", "game_type '" + type + "' is not one of " + gameTypes);
        }
        BigDecimal rtp = null;
        String rtpText = r.get("rtp");
        if (rtpText != null) {
            boolean percent = rtpText.endsWith("%");
            rtp = decimal(percent ? rtpText.substring(0, rtpText.length() - 1).strip() : rtpText, "rtp");
            if (percent || rtp.compareTo(BigDecimal.ONE) > 0) {
                rtp = rtp.movePointLeft(2); // 96.5 or 96.5% mean 0.965
            }
            if (rtp.signum() < 0 || rtp.compareTo(BigDecimal.ONE) > 0) {
                throw new Rejection(RejectReason.OUT_OF_RANGE, "rtp", "rtp '" + rtpText + "' is not between 0 and 100%");
            }
        }
        return new SourceRows.Game(required(r, "game_id"), collapse(r.get("name")), type, collapse(r.get("provider")), rtp);
    }

    private static String required(CsvRecord r, String field) {
        String v = r.get(field);
        if (v == null) {
            throw new Rejection(RejectReason.MISSING_FIELD, field, field + " is required");
        }
        return v;
    }

    private static UUID uuid(String text, String field) {
        try {
            if (text.length() == 36) {
                return UUID.fromString(text);
            }
        } catch (IllegalArgumentException invalid) {
            // rejected below
        }
        throw new Rejection(RejectReason.INVALID_UUID, field, field + " '" + text + "' is not a UUID");
    }

    /** {@code 12.50}, {@code 1,234.50} and {@code 12,50} (decimal comma) all read exactly. */
    private static BigDecimal decimal(String text, String field) {
        String t = text.replace(" ", "");
        if (t.indexOf(',') >= 0) {
            t = t.indexOf('.') >= 0 ? t.replace(",", "") : t.replace(',', '.');
        }
        BigDecimal value;
        try {
            value = new BigDecimal(t);
        } catch (NumberFormatException e) {
            throw new Rejection(RejectReason.INVALID_AMOUNT, field, field + " '" + text + "' is not a decimal number");
        }
        return value;
    }

    private static boolean hasNul(String value) {
        return value != null && value.indexOf('\0') >= 0;
    }

    private static String lower(String s) {
        return s == null ? null : s.toLowerCase(Locale.ROOT);
    }

    private static String collapse(String s) {
        return s == null ? null : s.replaceAll("\\s+", " ");
    }
}
