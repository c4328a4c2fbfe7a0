package io.streamlake.features.feast;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * One feature or entity value as Feast's {@code feast.types.Value} message (protos/feast/types/Value.proto):
 * the oneof field number equals the {@link Type} code. Scalar types only; a set oneof field is written even
 * when it holds its default (0, "", false), as protobuf does for oneofs.
 */
public final class FeastValue {

    /** Feast's ValueType.Enum codes, which are also the Value oneof field numbers. */
    public enum Type {
        BYTES(1), STRING(2), INT32(3), INT64(4), DOUBLE(5), FLOAT(6), BOOL(7), UNIX_TIMESTAMP(8), NULL(19);

        private final int code;

        Type(int code) {
            this.code = code;
        }

        public int code() {
            return code;
        }

        static Type ofCode(int code) {
            for (Type t : values()) {
                if (t.code == code) {
                    return t;
                }
            }
            throw new IllegalArgumentException("unsupported feast value field " + code);
        }
    }

    private final Type type;
    private final Object value;

    private FeastValue(Type type, Object value) {
        this.type = type;
        this.value = value;
    }

    public static FeastValue ofString(String v) {
        return new FeastValue(Type.STRING, Objects.requireNonNull(v));
    }

    public static FeastValue ofBytes(byte[] v) {
        return new FeastValue(Type.BYTES, v.clone());
    }

    public static FeastValue ofInt32(int v) {
        return new FeastValue(Type.INT32, v);
    }

    public static FeastValue ofInt64(long v) {
        return new FeastValue(Type.INT64, v);
    }

    public static FeastValue ofDouble(double v) {
        return new FeastValue(Type.DOUBLE, v);
    }

    public static FeastValue ofFloat(float v) {
        return new FeastValue(Type.FLOAT, v);
    }

    public static FeastValue ofBool(boolean v) {
        return new FeastValue(Type.BOOL, v);
    }

    /** Seconds since the epoch, Feast's UNIX_TIMESTAMP. */
    public static FeastValue ofUnixTimestamp(long epochSeconds) {
        return new FeastValue(Type.UNIX_TIMESTAMP, epochSeconds);
    }

    /**
     * A missing value. Written as Feast's {@code online_write_batch} writes one: an empty {@code feast.types.Value}
     * (no oneof field set, zero bytes), which is what {@code type_map.py} makes of a None. Read from that form and
     * from the explicit {@code null_val} this project wrote before.
     */
    public static FeastValue ofNull() {
        return new FeastValue(Type.NULL, null);
    }

    public Type type() {
        return type;
    }

    /** The Java value: String, byte[], Integer, Long, Double, Float, Boolean, or null for NULL. */
    public Object value() {
        return value instanceof byte[] b ? b.clone() : value;
    }

    boolean canBeEntityValue() {
        return type == Type.STRING || type == Type.INT64 || type == Type.INT32 || type == Type.BYTES
                || type == Type.UNIX_TIMESTAMP;
    }

    /** The value's bytes inside a serialized entity key. */
    byte[] entityKeyBytes() {
        return switch (type) {
            case STRING -> ((String) value).getBytes(StandardCharsets.UTF_8);
            case BYTES -> ((byte[]) value).clone();
            case INT32 -> ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt((Integer) value).array();
            case INT64, UNIX_TIMESTAMP -> ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong((Long) value).array();
            default -> throw new IllegalStateException(type + " cannot be an entity value");
        };
    }

    /** The serialized {@code feast.types.Value}. */
    public byte[] toProtobuf() {
        ByteArrayOutputStream out = new ByteArrayOutputStream(16);
        int field = type.code();
        switch (type) {
            case STRING -> {
                byte[] b = ((String) value).getBytes(StandardCharsets.UTF_8);
                ProtoWire.tag(out, field, ProtoWire.LENGTH_DELIMITED);
                ProtoWire.varint(out, b.length);
                out.writeBytes(b);
            }
            case BYTES -> {
                byte[] b = (byte[]) value;
                ProtoWire.tag(out, field, ProtoWire.LENGTH_DELIMITED);
                ProtoWire.varint(out, b.length);
                out.writeBytes(b);
            }
            case INT32 -> {
                ProtoWire.tag(out, field, ProtoWire.VARINT);
                ProtoWire.varint(out, (Integer) value); // negative int32: sign-extended to 10 bytes, as protobuf does
            }
            case INT64, UNIX_TIMESTAMP -> {
                ProtoWire.tag(out, field, ProtoWire.VARINT);
                ProtoWire.varint(out, (Long) value);
            }
            case DOUBLE -> {
                ProtoWire.tag(out, field, ProtoWire.FIXED64);
                ProtoWire.fixed64(out, Double.doubleToRawLongBits((Double) value));
            }
            case FLOAT -> {
                ProtoWire.tag(out, field, ProtoWire.FIXED32);
                ProtoWire.fixed32(out, Float.floatToRawIntBits((Float) value));
            }
            case BOOL -> {
                ProtoWire.tag(out, field, ProtoWire.VARINT);
                ProtoWire.varint(out, (Boolean) value ? 1 : 0);
            }
            case NULL -> {
                // Feast's Python SDK serializes a None as ProtoValue(): nothing set, zero bytes.
            }
            default -> throw new IllegalStateException();
        }
        return out.toByteArray();
    }

    /**
     * Reads a serialized {@code feast.types.Value}; the last oneof field present wins, as in protobuf. A Value with no
     * field set (Feast's own form of a missing value, zero bytes) and the explicit {@code null_val} both read as
     * {@link #ofNull()}.
     */
    public static FeastValue fromProtobuf(byte[] bytes) {
        ProtoWire.Reader in = new ProtoWire.Reader(bytes);
        FeastValue result = null;
        while (in.hasMore()) {
            int tag = in.readTag();
            int field = tag >>> 3;
            int wire = tag & 7;
            Type type;
            try {
                type = Type.ofCode(field);
            } catch (IllegalArgumentException unknown) {
                in.skip(wire);
                continue;
            }
            result = switch (type) {
                case STRING -> ofString(new String(in.readBytes(), StandardCharsets.UTF_8));
                case BYTES -> new FeastValue(Type.BYTES, in.readBytes());
                case INT32 -> ofInt32((int) in.readVarint());
                case INT64 -> ofInt64(in.readVarint());
                case UNIX_TIMESTAMP -> ofUnixTimestamp(in.readVarint());
                case DOUBLE -> ofDouble(Double.longBitsToDouble(in.readFixed64()));
                case FLOAT -> ofFloat(Float.intBitsToFloat(in.readFixed32()));
                case BOOL -> ofBool(in.readVarint() != 0);
                case NULL -> {
                    in.readVarint();
                    yield ofNull();
                }
            };
        }
        return result == null ? ofNull() : result;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FeastValue other && other.type == type
                && (value instanceof byte[] b ? Arrays.equals(b, (byte[]) other.value) : Objects.equals(value, other.value));
    }

    @Override
    public int hashCode() {
        return Objects.hash(type, value instanceof byte[] b ? Arrays.hashCode(b) : value);
    }

    @Override
    public String toString() {
        return type + "(" + (value instanceof byte[] b ? Arrays.toString(b) : value) + ")";
    }
}
