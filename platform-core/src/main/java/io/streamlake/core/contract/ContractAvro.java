package io.streamlake.core.contract;

import io.streamlake.core.event.InvalidEventException;
import io.streamlake.core.event.RejectionReason;

import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Conversions;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericFixed;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The Avro binary form of a contract's records (values in field order, as {@link ContractJson} holds them). Reading
 * takes the writer's schema and resolves it to this contract's by Avro's rules, so a consumer on version N reads
 * records written with N-1 or N+1 where Avro allows (a field added with a default, a field removed, int widened to
 * long). Thread-safe: readers are cached per writer schema, encoders and decoders per call.
 */
public final class ContractAvro {

    private static final Conversions.DecimalConversion DECIMALS = new Conversions.DecimalConversion();

    private final Contract contract;
    private final Schema schema;
    private final ContractField[] fields;
    /** Per writer schema: null when it is this contract's own (read field by field), else Avro's resolving reader. */
    private final Map<Schema, Optional<GenericDatumReader<GenericRecord>>> readers = new ConcurrentHashMap<>();
    private final ThreadLocal<GenericDatumWriter<GenericRecord>> writer;

    /** Per field: the union branch of null (-1: not a union), the enum's symbols, a fixed's size (-1), float or double. */
    private final int[] nullBranch;
    private final List<String>[] enumSymbols;
    private final int[] fixedSize;
    private final boolean[] floats;

    @SuppressWarnings("unchecked")
    public ContractAvro(Contract contract) {
        this.contract = contract;
        this.schema = contract.schema();
        this.fields = contract.fields().toArray(new ContractField[0]);
        this.nullBranch = new int[fields.length];
        this.enumSymbols = new List[fields.length];
        this.fixedSize = new int[fields.length];
        this.floats = new boolean[fields.length];
        for (ContractField f : fields) {
            Schema s = schema.getField(f.name).schema();
            nullBranch[f.index] = -1;
            if (s.getType() == Schema.Type.UNION) {
                nullBranch[f.index] = s.getTypes().get(0).getType() == Schema.Type.NULL ? 0 : 1;
                s = branch(s);
            }
            enumSymbols[f.index] = s.getType() == Schema.Type.ENUM ? s.getEnumSymbols() : null;
            fixedSize[f.index] = s.getType() == Schema.Type.FIXED ? s.getFixedSize() : -1;
            floats[f.index] = s.getType() == Schema.Type.FLOAT;
        }
        this.writer = ThreadLocal.withInitial(() -> new GenericDatumWriter<>(schema));
    }

    public Contract contract() {
        return contract;
    }

    /** The record in this contract's Avro binary form (no framing); values must fit their types (checked values do). */
    public byte[] write(Object[] values) {
        GenericData.Record record = new GenericData.Record(schema);
        for (ContractField f : fields) {
            record.put(f.index, avroValue(f, values[f.index]));
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
        try {
            writer.get().write(record, encoder);
            encoder.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (AvroRuntimeException | ClassCastException e) {
            throw new IllegalArgumentException("the values do not fit " + contract.subject() + ": " + e.getMessage(), e);
        }
        return out.toByteArray();
    }

    /**
     * The values of Avro binary {@code body} written with {@code writerSchema}, resolved to this contract; truncated or
     * garbled bytes and schemas Avro cannot resolve are {@link RejectionReason#MALFORMED_AVRO}.
     */
    public Object[] read(byte[] body, int offset, Schema writerSchema) {
        GenericRecord record;
        try {
            Optional<GenericDatumReader<GenericRecord>> resolving = readers.computeIfAbsent(writerSchema,
                    w -> w.equals(schema) ? Optional.empty() : Optional.of(new GenericDatumReader<>(w, schema)));
            BinaryDecoder decoder = DecoderFactory.get().binaryDecoder(body, offset, body.length - offset, null);
            if (resolving.isEmpty()) {
                Object[] values = readOwn(decoder);
                if (!decoder.isEnd()) {
                    throw new InvalidEventException(RejectionReason.MALFORMED_AVRO, null, (body.length - offset)
                            + " bytes hold more than one " + contract.subject() + " record (trailing bytes)");
                }
                return values;
            }
            record = resolving.get().read(null, decoder);
            if (!decoder.isEnd()) {
                throw new InvalidEventException(RejectionReason.MALFORMED_AVRO, null, (body.length - offset)
                        + " bytes hold more than one " + contract.subject() + " record (trailing bytes)");
            }
        } catch (EOFException e) {
            throw new InvalidEventException(RejectionReason.MALFORMED_AVRO, null, "truncated Avro: the record ends early", e);
        } catch (IOException | RuntimeException e) {
            if (e instanceof InvalidEventException invalid) {
                throw invalid;
            }
            throw new InvalidEventException(RejectionReason.MALFORMED_AVRO, null, "not a " + contract.subject()
                    + " record in Avro: " + e, e);
        }
        Object[] values = new Object[fields.length];
        for (ContractField f : fields) {
            values[f.index] = javaValue(f, record.get(f.index));
        }
        return values;
    }

    /**
     * A record written with this very schema, read field by field into values (no GenericRecord, no resolution): the
     * common case, where producer and consumer share the version.
     */
    private Object[] readOwn(BinaryDecoder in) throws IOException {
        Object[] values = new Object[fields.length];
        for (ContractField f : fields) {
            if (nullBranch[f.index] >= 0 && in.readIndex() == nullBranch[f.index]) {
                continue;
            }
            Object v;
            switch (f.type) {
                case STRING:
                    v = enumSymbols[f.index] != null ? enumSymbols[f.index].get(in.readEnum()) : in.readString();
                    break;
                case UUID:
                    v = javaValue(f, in.readString());
                    break;
                case TIMESTAMP_MILLIS:
                    v = Instant.ofEpochMilli(in.readLong());
                    break;
                case DECIMAL:
                    byte[] bytes;
                    if (fixedSize[f.index] >= 0) {
                        bytes = new byte[fixedSize[f.index]];
                        in.readFixed(bytes);
                    } else {
                        bytes = new byte[in.readInt()];
                        in.readFixed(bytes);
                    }
                    v = new BigDecimal(new BigInteger(bytes), f.scale);
                    break;
                case INT:
                    v = in.readInt();
                    break;
                case LONG:
                    v = in.readLong();
                    break;
                case DOUBLE:
                    v = floats[f.index] ? (double) in.readFloat() : in.readDouble();
                    break;
                default:
                    v = in.readBoolean();
            }
            values[f.index] = v;
        }
        return values;
    }

    private Object avroValue(ContractField f, Object v) {
        if (v == null) {
            return null;
        }
        switch (f.type) {
            case UUID:
                return v.toString();
            case TIMESTAMP_MILLIS:
                return ((Instant) v).toEpochMilli();
            case DECIMAL: {
                Schema decimalSchema = branch(schema.getField(f.name).schema());
                LogicalTypes.Decimal decimal = (LogicalTypes.Decimal) decimalSchema.getLogicalType();
                BigDecimal exact = ((BigDecimal) v).setScale(f.scale); // exact: checked values have at most f.scale places
                return decimalSchema.getType() == Schema.Type.FIXED
                        ? DECIMALS.toFixed(exact, decimalSchema, decimal) : DECIMALS.toBytes(exact, decimalSchema, decimal);
            }
            default:
                return v;
        }
    }

    private static Object javaValue(ContractField f, Object v) {
        if (v == null) {
            return null;
        }
        switch (f.type) {
            case STRING:
                return v.toString(); // Utf8 or an enum symbol
            case UUID:
                try {
                    return UUID.fromString(v.toString());
                } catch (IllegalArgumentException e) {
                    throw new InvalidEventException(RejectionReason.WRONG_TYPE, f.name, f.name + " is not a UUID: '"
                            + ContractJson.abbreviate(v.toString()) + "'", e);
                }
            case TIMESTAMP_MILLIS:
                return Instant.ofEpochMilli(((Number) v).longValue());
            case DECIMAL: {
                byte[] bytes;
                if (v instanceof ByteBuffer buffer) {
                    bytes = new byte[buffer.remaining()];
                    buffer.duplicate().get(bytes);
                } else {
                    bytes = ((GenericFixed) v).bytes();
                }
                return new BigDecimal(new BigInteger(bytes), f.scale);
            }
            case INT:
                return ((Number) v).intValue();
            case LONG:
                return ((Number) v).longValue();
            case DOUBLE:
                return ((Number) v).doubleValue();
            default:
                return v;
        }
    }

    private static Schema branch(Schema s) {
        if (s.getType() != Schema.Type.UNION) {
            return s;
        }
        return s.getTypes().stream().filter(t -> t.getType() != Schema.Type.NULL).findFirst().orElse(s);
    }
}
