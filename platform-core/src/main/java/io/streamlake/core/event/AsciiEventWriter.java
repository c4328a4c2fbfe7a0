package io.streamlake.core.event;

import io.streamlake.common.time.UtcTimestamps;

import java.math.BigDecimal;
import java.util.Arrays;

/**
 * Writes a {@link CasinoEvent} whose text is printable ASCII straight into bytes, the same bytes
 * {@link CasinoEventJson#writeWithGenerator} would give; any other character makes it decline (null), and the
 * general writer takes over. Events are written once per hop on every stream, so this is worth its few lines.
 */
final class AsciiEventWriter {

    /** One writer per thread: its buffer is reused, so an event costs one allocation, the bytes returned. */
    private static final ThreadLocal<AsciiEventWriter> WRITERS = ThreadLocal.withInitial(AsciiEventWriter::new);
    private static final byte[] HEX = "0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private static final int MAX_KEPT_BUFFER = 1 << 16;

    private byte[] buf = new byte[384];
    private int size;

    private AsciiEventWriter() {
    }

    static byte[] write(CasinoEvent e) {
        AsciiEventWriter w = WRITERS.get();
        w.size = 0;
        w.raw('{');
        if (e.eventId() != null) {
            w.name("event_id");
            w.uuid(e.eventId());
        }
        boolean ok = w.text("customer_id", e.customerId());
        if (ok && e.activityDatetime() != null) {
            w.name("activity_datetime");
            w.timestamp(e.activityDatetime());
        }
        ok = ok && w.text("game_activity", e.gameActivity())
                && w.text("game_id", e.gameId())
                && w.text("game_type", e.gameType());
        if (!ok) {
            return null;
        }
        w.amount("bet_amount", e.betAmount());
        w.amount("win_amount", e.winAmount());
        w.amount("bonus_amount", e.bonusAmount());
        w.amount("transaction_amount", e.transactionAmount());
        if (!w.text("currency", e.currency())) {
            return null;
        }
        w.name("schema_version");
        w.ascii(Integer.toString(e.schemaVersion()));
        w.raw('}');
        byte[] out = Arrays.copyOf(w.buf, w.size);
        if (w.buf.length > MAX_KEPT_BUFFER) {
            w.buf = new byte[384]; // an outsized event does not pin its buffer to the thread
        }
        return out;
    }

    private boolean text(String name, String value) {
        if (value == null) {
            return true;
        }
        name(name);
        ensure(2 * value.length() + 2); // every character escaped at worst, and the quotes
        buf[size++] = '"';
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x20 || c > 0x7e) {
                return false; // control and non-ASCII characters: the general writer escapes and encodes them
            }
            if (c == '"' || c == '\\') {
                buf[size++] = '\\';
            }
            buf[size++] = (byte) c;
        }
        buf[size++] = '"';
        return true;
    }

    /** The UUID's canonical lowercase form, as {@link java.util.UUID#toString()} gives it, without the String. */
    private void uuid(java.util.UUID id) {
        ensure(38);
        buf[size++] = '"';
        long msb = id.getMostSignificantBits();
        long lsb = id.getLeastSignificantBits();
        hex(msb >>> 32, 8);
        buf[size++] = '-';
        hex(msb >>> 16, 4);
        buf[size++] = '-';
        hex(msb, 4);
        buf[size++] = '-';
        hex(lsb >>> 48, 4);
        buf[size++] = '-';
        hex(lsb, 12);
        buf[size++] = '"';
    }

    private void hex(long value, int digits) {
        for (int i = digits - 1; i >= 0; i--) {
            buf[size + i] = HEX[(int) (value & 0xf)];
            value >>>= 4;
        }
        size += digits;
    }

    /** {@link UtcTimestamps#millis}'s form, written in place. */
    private void timestamp(java.time.Instant t) {
        ensure(UtcTimestamps.MILLIS_LENGTH + 2);
        buf[size++] = '"';
        if (UtcTimestamps.writeMillis(t, buf, size)) {
            size += UtcTimestamps.MILLIS_LENGTH;
        } else {
            ascii(UtcTimestamps.millis(t));
        }
        raw('"');
    }

    private void amount(String name, BigDecimal value) {
        if (value != null) {
            name(name);
            ascii(value.toPlainString());
        }
    }

    private void name(String name) {
        if (size > 1) {
            raw(',');
        }
        raw('"');
        ascii(name);
        raw('"');
        raw(':');
    }

    private void ascii(String s) {
        ensure(s.length());
        for (int i = 0; i < s.length(); i++) {
            buf[size++] = (byte) s.charAt(i);
        }
    }

    private void raw(char c) {
        ensure(1);
        buf[size++] = (byte) c;
    }

    private void ensure(int more) {
        if (size + more > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, size + more));
        }
    }
}
