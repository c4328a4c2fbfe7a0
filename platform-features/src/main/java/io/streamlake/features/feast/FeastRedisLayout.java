package io.streamlake.features.feast;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * Where Feast's Redis online store keeps a feature row, so that Feast's own client reads what we write:
 * <ul>
 *   <li>key: {@link EntityKey#serialize()} (version 3) followed by the project name in UTF-8;</li>
 *   <li>one hash field per feature: MurmurHash3 x86 32-bit (seed 0) of {@code "<feature_view>:<feature>"},
 *       as 4 little-endian bytes; its value a serialized {@code feast.types.Value};</li>
 *   <li>hash field {@code "_ts:<feature_view>"}: the row's event time as a serialized
 *       {@code google.protobuf.Timestamp}.</li>
 * </ul>
 */
public final class FeastRedisLayout {

    private FeastRedisLayout() {
    }

    public static byte[] redisKey(String project, EntityKey entityKey) {
        byte[] entity = entityKey.serialize();
        byte[] name = project.getBytes(StandardCharsets.UTF_8);
        byte[] key = java.util.Arrays.copyOf(entity, entity.length + name.length);
        System.arraycopy(name, 0, key, entity.length, name.length);
        return key;
    }

    public static byte[] featureField(String featureView, String feature) {
        int hash = Murmur3.hash32((featureView + ":" + feature).getBytes(StandardCharsets.UTF_8), 0);
        return ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(hash).array();
    }

    public static byte[] timestampField(String featureView) {
        return ("_ts:" + featureView).getBytes(StandardCharsets.UTF_8);
    }

    /** A serialized google.protobuf.Timestamp (seconds = 1, nanos = 2; zero fields omitted, as proto3 does). */
    public static byte[] timestamp(Instant instant) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(12);
        if (instant.getEpochSecond() != 0) {
            ProtoWire.tag(out, 1, ProtoWire.VARINT);
            ProtoWire.varint(out, instant.getEpochSecond());
        }
        if (instant.getNano() != 0) {
            ProtoWire.tag(out, 2, ProtoWire.VARINT);
            ProtoWire.varint(out, instant.getNano());
        }
        return out.toByteArray();
    }

    public static Instant parseTimestamp(byte[] bytes) {
        ProtoWire.Reader in = new ProtoWire.Reader(bytes);
        long seconds = 0;
        int nanos = 0;
        while (in.hasMore()) {
            int tag = in.readTag();
            switch (tag >>> 3) {
                case 1 -> seconds = in.readVarint();
                case 2 -> nanos = (int) in.readVarint();
                default -> in.skip(tag & 7);
            }
        }
        return Instant.ofEpochSecond(seconds, nanos);
    }
}
