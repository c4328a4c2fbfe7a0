package io.streamlake.core.event;

import io.streamlake.common.time.UtcTimestamps;

import com.fasterxml.jackson.core.StreamReadConstraints;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.UUID;

/**
 * {@link CasinoEventJson}'s fast path: reads the common record straight from its bytes, or gives up (null) on
 * anything it does not handle, leaving that record to the tree path, which alone names what is wrong.
 * <p>
 * The common record: one JSON object of known fields, each at most once, with ASCII strings without escapes,
 * the event id in the canonical 36-character UUID form, the timestamp in the written form
 * ({@code uuuu-MM-ddTHH:mm:ss.SSSZ}), amounts as plain decimals of up to 18 digits, a string customer id and an
 * integer schema version; nulls anywhere. Everything else (escapes, non-ASCII text, exponents, numeric customer
 * ids, epoch-millisecond timestamps, unknown or nested fields, malformed JSON) gives up. What it accepts, it reads
 * to exactly the values the tree path would.
 * <p>
 * It exists because a validator reads every event of a stream: a general JSON parser's field-name canonicalization,
 * text buffers and per-record parser set-up were the largest share of the event-validator's own time.
 */
final class CommonEventScanner {

    private static final int EVENT_ID = 0, CUSTOMER_ID = 1, ACTIVITY_DATETIME = 2, GAME_ACTIVITY = 3, GAME_ID = 4,
            GAME_TYPE = 5, BET_AMOUNT = 6, WIN_AMOUNT = 7, BONUS_AMOUNT = 8, TRANSACTION_AMOUNT = 9, CURRENCY = 10,
            SCHEMA_VERSION = 11;
    private static final byte[][] NAMES = names("event_id", "customer_id", "activity_datetime", "game_activity",
            "game_id", "game_type", "bet_amount", "win_amount", "bonus_amount", "transaction_amount", "currency",
            "schema_version");

    private static final int MAX_STRING_LENGTH = StreamReadConstraints.defaults().getMaxStringLength();

    private final byte[] b;
    private int pos;
    /** The bounds of the last string read by {@link #string()}. */
    private int start;
    private int end;

    private CommonEventScanner(byte[] json) {
        this.b = json;
    }

    /** The event, or null when the record is not a common one. */
    static CasinoEvent scan(byte[] json) {
        return new CommonEventScanner(json).event();
    }

    private CasinoEvent event() {
        String customerId = null, gameActivity = null, gameId = null, gameType = null, currency = null;
        UUID eventId = null;
        Instant at = null;
        BigDecimal bet = null, win = null, bonus = null, transaction = null;
        int schemaVersion = CasinoEvent.CURRENT_SCHEMA_VERSION;
        int seen = 0;
        skipWhitespace();
        if (!take('{')) {
            return null;
        }
        skipWhitespace();
        if (!take('}')) {
            while (true) {
                if (!string()) {
                    return null;
                }
                int field = field(start, end);
                if (field < 0 || (seen & (1 << field)) != 0) {
                    return null; // unknown (maybe nested) or repeated: the tree path decides
                }
                seen |= 1 << field;
                skipWhitespace();
                if (!take(':')) {
                    return null;
                }
                skipWhitespace();
                if (isNull()) {
                    pos += 4;
                } else {
                    switch (field) {
                        case EVENT_ID -> {
                            if (!string() || (eventId = uuid(start, end)) == null) {
                                return null;
                            }
                        }
                        case ACTIVITY_DATETIME -> {
                            if (!string() || (at = timestamp(start, end)) == null) {
                                return null;
                            }
                        }
                        case CUSTOMER_ID, GAME_ACTIVITY, GAME_ID, GAME_TYPE, CURRENCY -> {
                            if (!string()) {
                                return null;
                            }
                            String text = new String(b, start, end - start, StandardCharsets.ISO_8859_1); // ASCII only
                            switch (field) {
                                case CUSTOMER_ID -> customerId = text;
                                case GAME_ACTIVITY -> gameActivity = text;
                                case GAME_ID -> gameId = text;
                                case GAME_TYPE -> gameType = text;
                                default -> currency = text;
                            }
                        }
                        case SCHEMA_VERSION -> {
                            BigDecimal version = decimal(); // the tree path wants an int: no fraction, at most 9 digits here
                            if (version == null || version.scale() != 0 || version.precision() > 9) {
                                return null;
                            }
                            schemaVersion = version.intValue();
                        }
                        default -> {
                            BigDecimal amount = decimal();
                            if (amount == null) {
                                return null;
                            }
                            switch (field) {
                                case BET_AMOUNT -> bet = amount;
                                case WIN_AMOUNT -> win = amount;
                                case BONUS_AMOUNT -> bonus = amount;
                                default -> transaction = amount;
                            }
                        }
                    }
                }
                skipWhitespace();
                if (take('}')) {
                    break;
                }
                if (!take(',')) {
                    return null;
                }
                skipWhitespace();
            }
        }
        skipWhitespace();
        if (pos != b.length) {
            return null; // trailing content
        }
        return new CasinoEvent(eventId, customerId, at, gameActivity, gameId, gameType, bet, win, bonus, transaction,
                currency, schemaVersion);
    }

    private void skipWhitespace() {
        while (pos < b.length) {
            byte c = b[pos];
            if (c != ' ' && c != '\n' && c != '\r' && c != '\t') {
                return;
            }
            pos++;
        }
    }

    private boolean take(char c) {
        if (pos < b.length && b[pos] == c) {
            pos++;
            return true;
        }
        return false;
    }

    private boolean isNull() {
        return pos + 4 <= b.length && b[pos] == 'n' && b[pos + 1] == 'u' && b[pos + 2] == 'l' && b[pos + 3] == 'l';
    }

    /**
     * Reads a string of ASCII without escapes or control characters into {@link #start}/{@link #end}; false for
     * anything else, and for a string longer than Jackson accepts (which the tree path then refuses).
     */
    private boolean string() {
        if (!take('"')) {
            return false;
        }
        int from = pos;
        int limit = (int) Math.min(b.length, (long) from + MAX_STRING_LENGTH + 1);
        for (int i = from; i < limit; i++) {
            byte c = b[i];
            if (c == '"') {
                start = from;
                end = i;
                pos = i + 1;
                return true;
            }
            if (c < 0x20 || c == '\\') { // control characters, escapes; bytes of non-ASCII text are negative
                return false;
            }
        }
        return false;
    }

    private int field(int from, int to) {
        int length = to - from;
        for (int f = 0; f < NAMES.length; f++) {
            if (NAMES[f].length == length && Arrays.equals(b, from, to, NAMES[f], 0, length)) {
                return f;
            }
        }
        return -1;
    }

    /** The canonical form {@code 8-4-4-4-12} of hex digits, or null. */
    private UUID uuid(int from, int to) {
        if (to - from != 36 || b[from + 8] != '-' || b[from + 13] != '-' || b[from + 18] != '-' || b[from + 23] != '-') {
            return null;
        }
        long time = hex(from, 8), mid = hex(from + 9, 4), high = hex(from + 14, 4), clock = hex(from + 19, 4),
                node = hex(from + 24, 12);
        if ((time | mid | high | clock | node) < 0) {
            return null;
        }
        return new UUID(time << 32 | mid << 16 | high, clock << 48 | node);
    }

    /** {@code digits} hex digits at {@code from} (at most 15), or -1. */
    private long hex(int from, int digits) {
        long value = 0;
        for (int i = from; i < from + digits; i++) {
            int d = Character.digit(b[i], 16);
            if (d < 0) {
                return -1;
            }
            value = value << 4 | d;
        }
        return value;
    }

    /** {@code uuuu-MM-ddTHH:mm:ss.SSSZ}, or null. */
    private Instant timestamp(int from, int to) {
        if (to - from != UtcTimestamps.MILLIS_LENGTH || b[from + 4] != '-' || b[from + 7] != '-' || b[from + 10] != 'T'
                || b[from + 13] != ':' || b[from + 16] != ':' || b[from + 19] != '.' || b[from + 23] != 'Z') {
            return null;
        }
        int year = digits(from, 4), month = digits(from + 5, 2), day = digits(from + 8, 2), hour = digits(from + 11, 2),
                minute = digits(from + 14, 2), second = digits(from + 17, 2), millis = digits(from + 20, 3);
        if ((year | month | day | hour | minute | second | millis) < 0) {
            return null;
        }
        try {
            return LocalDateTime.of(year, month, day, hour, minute, second, millis * 1_000_000).toInstant(ZoneOffset.UTC);
        } catch (DateTimeException invalid) {
            return null; // e.g. February 30th: the tree path words the rejection
        }
    }

    private int digits(int from, int width) {
        int value = 0;
        for (int i = from; i < from + width; i++) {
            int d = b[i] - '0';
            if (d < 0 || d > 9) {
                return -1;
            }
            value = value * 10 + d;
        }
        return value;
    }

    /** A JSON number without exponent, of at most 18 digits, exactly (its scale is its count of decimals), or null. */
    private BigDecimal decimal() {
        boolean negative = take('-');
        int from = pos;
        long unscaled = 0;
        while (pos < b.length && b[pos] >= '0' && b[pos] <= '9') {
            unscaled = unscaled * 10 + (b[pos++] - '0');
        }
        int integerDigits = pos - from;
        if (integerDigits == 0 || (integerDigits > 1 && b[from] == '0')) {
            return null;
        }
        int scale = 0;
        if (take('.')) {
            int fractionFrom = pos;
            while (pos < b.length && b[pos] >= '0' && b[pos] <= '9') {
                unscaled = unscaled * 10 + (b[pos++] - '0');
            }
            scale = pos - fractionFrom;
            if (scale == 0) {
                return null;
            }
        }
        if (integerDigits + scale > 18 || (pos < b.length && (b[pos] == 'e' || b[pos] == 'E'))) {
            return null;
        }
        return BigDecimal.valueOf(negative ? -unscaled : unscaled, scale);
    }

    private static byte[][] names(String... names) {
        byte[][] bytes = new byte[names.length][];
        for (int i = 0; i < names.length; i++) {
            bytes[i] = names[i].getBytes(StandardCharsets.US_ASCII);
        }
        return bytes;
    }
}
