package io.streamlake.features.feast;

import java.io.ByteArrayOutputStream;

/** The few protobuf wire-format pieces Feast's Value and google.protobuf.Timestamp need. */
final class ProtoWire {

    static final int VARINT = 0;
    static final int FIXED64 = 1;
    static final int LENGTH_DELIMITED = 2;
    static final int FIXED32 = 5;

    private ProtoWire() {
    }

    static void tag(ByteArrayOutputStream out, int field, int wireType) {
        varint(out, (long) field << 3 | wireType);
    }

    static void varint(ByteArrayOutputStream out, long value) {
        while ((value & ~0x7FL) != 0) {
            out.write((int) (value & 0x7F) | 0x80);
            value >>>= 7;
        }
        out.write((int) value);
    }

    static void fixed64(ByteArrayOutputStream out, long value) {
        for (int i = 0; i < 8; i++) {
            out.write((int) (value >>> (8 * i)) & 0xFF);
        }
    }

    static void fixed32(ByteArrayOutputStream out, int value) {
        for (int i = 0; i < 4; i++) {
            out.write(value >>> (8 * i) & 0xFF);
        }
    }

    /** Reads protobuf fields from a byte array. */
    static final class Reader {
        private final byte[] data;
        private int pos;

        Reader(byte[] data) {
            this.data = data;
        }

        boolean hasMore() {
            return pos < data.length;
        }

        int readTag() {
            return (int) readVarint();
        }

        long readVarint() {
            long result = 0;
            for (int shift = 0; shift < 64; shift += 7) {
                if (pos >= data.length) {
                    throw new IllegalArgumentException("truncated varint");
                }
                byte b = data[pos++];
                result |= (long) (b & 0x7F) << shift;
                if ((b & 0x80) == 0) {
                    return result;
                }
            }
            throw new IllegalArgumentException("malformed varint");
        }

        long readFixed64() {
            require(8);
            long v = 0;
            for (int i = 0; i < 8; i++) {
                v |= (long) (data[pos++] & 0xFF) << (8 * i);
            }
            return v;
        }

        int readFixed32() {
            require(4);
            int v = 0;
            for (int i = 0; i < 4; i++) {
                v |= (data[pos++] & 0xFF) << (8 * i);
            }
            return v;
        }

        byte[] readBytes() {
            int length = (int) readVarint();
            require(length);
            byte[] bytes = java.util.Arrays.copyOfRange(data, pos, pos + length);
            pos += length;
            return bytes;
        }

        void skip(int wireType) {
            switch (wireType) {
                case VARINT -> readVarint();
                case FIXED64 -> readFixed64();
                case LENGTH_DELIMITED -> readBytes();
                case FIXED32 -> readFixed32();
                default -> throw new IllegalArgumentException("unsupported wire type " + wireType);
            }
        }

        private void require(int n) {
            if (n < 0 || pos + n > data.length) {
                throw new IllegalArgumentException("truncated protobuf field");
            }
        }
    }
}
