package io.streamlake.core.event;

import java.math.BigDecimal;
import java.util.Arrays;

/**
 * Writes a {@link CasinoEvent} whose text is printable ASCII straight into bytes, the same bytes
 * {@link CasinoEventJson#writeWithGenerator} would give; any other character makes it decline (null), and the
 * general writer takes over. Events are written once per hop on every stream, so this is worth its few lines.
 */
final class AsciiEventWriter {

    private byte[] buf = new byte[384];
    private int size;

    private AsciiEventWriter() {
    }

    static byte[] write(CasinoEvent e) {
        AsciiEventWriter w = new AsciiEventWriter();
        w.raw('{');
        boolean ok = w.text("event_id", e.eventId() == null ? null : e.eventId().toString())
                && w.text("customer_id", e.customerId())
                && w.text("activity_datetime", e.activityDatetime() == null ? null : CasinoEventJson.timestamp(e.activityDatetime()))
                && w.text("game_activity", e.gameActivity())
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
        return Arrays.copyOf(w.buf, w.size);
    }

    private boolean text(String name, String value) {
        if (value == null) {
            return true;
        }
        name(name);
        raw('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x20 || c > 0x7e) {
                return false; // control and non-ASCII characters: the general writer escapes and encodes them
            }
            if (c == '"' || c == '\\') {
                raw('\\');
            }
            raw(c);
        }
        raw('"');
        return true;
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
