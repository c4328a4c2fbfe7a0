package io.streamlake.core.contract;

import io.streamlake.common.time.UtcTimestamps;

import com.fasterxml.jackson.core.StreamReadConstraints;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

/**
 * {@link ContractJson}'s fast path: reads the common record of a contract straight from its bytes, or gives up (null)
 * on anything it does not handle, leaving that record to the tree path, which alone names what is wrong.
 * <p>
 * The common record: one JSON object of the contract's fields, each at most once, with ASCII strings without escapes,
 * UUIDs in the canonical 36-character form, timestamps in the written form ({@code uuuu-MM-ddTHH:mm:ss.SSSZ}),
 * decimals and integers of up to 18 digits without exponent, booleans; nulls anywhere. Everything else (escapes,
 * non-ASCII text, exponents, numbers for text fields, epoch-millisecond timestamps, doubles, unknown or nested fields,
 * malformed JSON) gives up. What it accepts, it reads to exactly the values the tree path would.
 * <p>
 * It exists because a validator reads every event of a stream: a general JSON parser's field-name canonicalization,
 * text buffers and per-record set-up were the largest share of the event-validator's own time. One scanner is made
 * per contract; {@link #scan} is thread-safe (each call has its own cursor).
 */
final class JsonRecordScanner {

    private static final int MAX_STRING_LENGTH = StreamReadConstraints.defaults().getMaxStringLength();

    private final ContractField[] fields;
    private final byte[][] names;
    private final Object[] defaults;

    JsonRecordScanner(List<ContractField> fields) {
        this.fields = fields.toArray(new ContractField[0]);
        this.names = new byte[this.fields.length][];
        this.defaults = new Object[this.fields.length];
        for (int i = 0; i < this.fields.length; i++) {
            names[i] = this.fields[i].name.getBytes(StandardCharsets.UTF_8);
            defaults[i] = this.fields[i].defaultValue;
        }
    }

    /** Whether the contract can use this path at all (a record's fields are tracked in one long). */
    boolean usable() {
        return fields.length <= 64;
    }

    /** The record's values in field order, or null when the record is not a common one. */
    Object[] scan(byte[] json) {
        return new Cursor(json).record();
    }

    private final class Cursor {
        private final byte[] b;
        private int pos;
        /** The bounds of the last string read by {@link #string()}. */
        private int start;
        private int end;

        Cursor(byte[] json) {
            this.b = json;
        }

        Object[] record() {
            Object[] values = new Object[fields.length];
            long seen = 0;
            int expected = 0;
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
                    int field = field(start, end, expected);
                    if (field < 0 || (seen & (1L << field)) != 0) {
                        return null; // unknown (maybe nested) or repeated: the tree path decides
                    }
                    seen |= 1L << field;
                    expected = field + 1;
                    skipWhitespace();
                    if (!take(':')) {
                        return null;
                    }
                    skipWhitespace();
                    if (isNull()) {
                        pos += 4;
                    } else if ((values[field] = value(fields[field])) == null) {
                        return null;
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
            for (int i = 0; i < values.length; i++) {
                if (values[i] == null && (seen & (1L << i)) == 0) {
                    values[i] = defaults[i]; // absent (not null): Avro's default, as the tree path gives it
                }
            }
            return values;
        }

        private Object value(ContractField field) {
            switch (field.type) {
                case STRING:
                    return string() ? new String(b, start, end - start, StandardCharsets.ISO_8859_1) : null; // ASCII only
                case UUID:
                    return string() ? uuid(start, end) : null;
                case TIMESTAMP_MILLIS:
                    return string() ? timestamp(start, end) : null;
                case DECIMAL:
                    return decimal();
                case INT: {
                    BigDecimal n = decimal(); // the tree path wants an int: no fraction, at most 9 digits here
                    return n == null || n.scale() != 0 || n.precision() > 9 ? null : (Object) n.intValue();
                }
                case LONG: {
                    BigDecimal n = decimal();
                    return n == null || n.scale() != 0 ? null : (Object) n.longValue();
                }
                case BOOLEAN:
                    if (literal("true")) {
                        return Boolean.TRUE;
                    }
                    return literal("false") ? Boolean.FALSE : null;
                default:
                    return null; // doubles: the tree path
            }
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

        private boolean literal(String word) {
            if (pos + word.length() > b.length) {
                return false;
            }
            for (int i = 0; i < word.length(); i++) {
                if (b[pos + i] != word.charAt(i)) {
                    return false;
                }
            }
            pos += word.length();
            return true;
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

        /** The field named by bytes [from, to): producers write fields in order, so the expected one is tried first. */
        private int field(int from, int to, int expected) {
            int length = to - from;
            if (expected < names.length && names[expected].length == length
                    && Arrays.equals(b, from, to, names[expected], 0, length)) {
                return expected;
            }
            for (int f = 0; f < names.length; f++) {
                if (names[f].length == length && Arrays.equals(b, from, to, names[f], 0, length)) {
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
    }
}
