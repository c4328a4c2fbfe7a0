package io.streamlake.core.contract;

import io.streamlake.common.time.UtcTimestamps;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.UUID;

/**
 * Writes a record whose text is printable ASCII straight into bytes, the same bytes
 * {@link ContractJson#writeWithGenerator} would give; any other character (or a non-finite double) makes it decline
 * (null), and the general writer takes over. Records are written once per hop on every stream, so this is worth its
 * few lines.
 */
final class AsciiRecordWriter {

    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    private static final int MAX_KEPT_BUFFER = 1 << 16;

    /** One buffer per thread: reused, so a record costs one allocation, the bytes returned. */
    private final ThreadLocal<Buffer> buffers = ThreadLocal.withInitial(Buffer::new);
    private final ContractField[] fields;
    /** Each field's {@code "name":} prefix, ready to copy. */
    private final byte[][] prefixes;

    AsciiRecordWriter(ContractField[] fields) {
        this.fields = fields;
        this.prefixes = new byte[fields.length][];
        for (int i = 0; i < fields.length; i++) {
            prefixes[i] = ("\"" + fields[i].name + "\":").getBytes(StandardCharsets.UTF_8);
        }
    }

    byte[] write(Object[] values) {
        Buffer w = buffers.get();
        w.size = 0;
        w.raw('{');
        for (ContractField f : fields) {
            Object v = values[f.index];
            if (v == null) {
                continue;
            }
            if (w.size > 1) {
                w.raw(',');
            }
            w.bytes(prefixes[f.index]);
            boolean ok = switch (f.type) {
                case STRING -> w.text((String) v);
                case UUID -> w.uuid((UUID) v);
                case TIMESTAMP_MILLIS -> w.timestamp((Instant) v);
                case DECIMAL -> w.ascii(((BigDecimal) v).toPlainString());
                case DOUBLE -> Double.isFinite((Double) v) && w.ascii(v.toString());
                default -> w.ascii(v.toString()); // int, long, boolean
            };
            if (!ok) {
                return null;
            }
        }
        w.raw('}');
        byte[] out = Arrays.copyOf(w.buf, w.size);
        if (w.buf.length > MAX_KEPT_BUFFER) {
            w.buf = new byte[384]; // an outsized record does not pin its buffer to the thread
        }
        return out;
    }

    private static final class Buffer {
        byte[] buf = new byte[384];
        int size;

        boolean text(String value) {
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

        /** The UUID's canonical lowercase form, as {@link UUID#toString()} gives it, without the String. */
        boolean uuid(UUID id) {
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
            return true;
        }

        private void hex(long value, int digits) {
            for (int i = digits - 1; i >= 0; i--) {
                buf[size + i] = HEX[(int) (value & 0xf)];
                value >>>= 4;
            }
            size += digits;
        }

        /** {@link UtcTimestamps#millis}'s form, written in place. */
        boolean timestamp(Instant t) {
            ensure(UtcTimestamps.MILLIS_LENGTH + 2);
            buf[size++] = '"';
            if (UtcTimestamps.writeMillis(t, buf, size)) {
                size += UtcTimestamps.MILLIS_LENGTH;
            } else {
                ascii(UtcTimestamps.millis(t));
            }
            raw('"');
            return true;
        }

        void bytes(byte[] b) {
            ensure(b.length);
            System.arraycopy(b, 0, buf, size, b.length);
            size += b.length;
        }

        boolean ascii(String s) {
            ensure(s.length());
            for (int i = 0; i < s.length(); i++) {
                buf[size++] = (byte) s.charAt(i);
            }
            return true;
        }

        void raw(char c) {
            ensure(1);
            buf[size++] = (byte) c;
        }

        private void ensure(int more) {
            if (size + more > buf.length) {
                buf = Arrays.copyOf(buf, Math.max(buf.length * 2, size + more));
            }
        }
    }
}
