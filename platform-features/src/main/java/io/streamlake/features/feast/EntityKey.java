package io.streamlake.features.feast;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;

/**
 * A Feast entity key (join key names and their values) and its serialization version 3, the bytes Feast's
 * Redis online store puts first in every key:
 * <pre>
 * u32 number of join keys
 * per join key, sorted by name:  u32 ValueType.STRING, u32 name length, name (UTF-8)
 * per value, in that key order:  u32 ValueType, u32 value length, value bytes
 * </pre>
 * all little-endian; values are UTF-8 strings, int64 / int32 / unix timestamps as little-endian two's complement,
 * or raw bytes. Join key names must be ASCII (Feast writes their length in characters).
 */
public record EntityKey(Map<String, FeastValue> joinKeys) {

    public EntityKey {
        if (joinKeys.isEmpty()) {
            throw new IllegalArgumentException("an entity key needs at least one join key");
        }
        for (Map.Entry<String, FeastValue> e : joinKeys.entrySet()) {
            if (!e.getKey().chars().allMatch(c -> c > 0 && c < 128)) {
                throw new IllegalArgumentException("join key names must be ASCII: '" + e.getKey() + "'");
            }
            if (!e.getValue().canBeEntityValue()) {
                throw new IllegalArgumentException("join key " + e.getKey() + " has a " + e.getValue().type()
                        + " value; entity values are strings, int64, int32, unix timestamps or bytes");
            }
        }
        joinKeys = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(joinKeys));
    }

    /** A single-key entity, e.g. {@code EntityKey.of("customer_id", FeastValue.ofString("C42"))}. */
    public static EntityKey of(String joinKey, FeastValue value) {
        return new EntityKey(Map.of(joinKey, value));
    }

    /** Serialization version 3. */
    public byte[] serialize() {
        ByteArrayOutputStream out = new ByteArrayOutputStream(64);
        u32(out, joinKeys.size());
        for (String name : joinKeys.keySet()) {
            byte[] bytes = name.getBytes(StandardCharsets.US_ASCII);
            u32(out, FeastValue.Type.STRING.code());
            u32(out, bytes.length);
            out.writeBytes(bytes);
        }
        for (FeastValue value : joinKeys.values()) {
            byte[] bytes = value.entityKeyBytes();
            u32(out, value.type().code());
            u32(out, bytes.length);
            out.writeBytes(bytes);
        }
        return out.toByteArray();
    }

    private static void u32(ByteArrayOutputStream out, int value) {
        out.writeBytes(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(value).array());
    }
}
