package io.streamlake.sinks.clickhouse;

import io.streamlake.core.contract.Contract;
import io.streamlake.core.contract.ContractAvro;
import io.streamlake.core.contract.ContractException;
import io.streamlake.core.contract.ContractJson;
import io.streamlake.core.contract.ContractParser;
import io.streamlake.core.contract.ContractRepository;
import io.streamlake.core.contract.ContractWire;
import io.streamlake.core.event.InvalidEventException;
import io.streamlake.core.event.RejectionReason;
import org.apache.avro.Schema;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Turns Avro records into JSON rows with every field of their writer's schema, so a field a newer contract version
 * added reaches its column (which {@link ContractTable} adds first). No Spring in here.
 */
final class AvroRows {

    /** An Avro record as a JSON row, and the contract of the schema it was written with. */
    record Row(Contract writer, byte[] json) {
    }

    private record Codec(Contract contract, ContractAvro avro, ContractJson json) {
    }

    private final ContractRepository schemas;
    private final Map<Schema, Codec> codecs = new ConcurrentHashMap<>();

    AvroRows(ContractRepository schemas) {
        this.schemas = schemas;
    }

    /**
     * The record as a JSON row, or null when it is JSON already.
     *
     * @throws InvalidEventException for unreadable Avro (MALFORMED_AVRO, UNKNOWN_SCHEMA)
     */
    Row row(byte[] payload, Object contentType) {
        ContractWire.Framed framed = ContractWire.avroFraming(payload, contentType, schemas);
        if (framed == null) {
            return null;
        }
        Codec codec = codecs.computeIfAbsent(framed.writer(), AvroRows::codec);
        Object[] values = codec.avro().read(payload, framed.offset(), framed.writer());
        return new Row(codec.contract(), codec.json().write(values));
    }

    private static Codec codec(Schema writer) {
        Contract contract;
        try {
            contract = ContractParser.fromSchema(writer.getName(), 0, writer);
        } catch (ContractException e) {
            throw new InvalidEventException(RejectionReason.UNKNOWN_SCHEMA, null, "the writer schema "
                    + writer.getFullName() + " cannot be a table's rows: " + e.getMessage(), e);
        }
        return new Codec(contract, new ContractAvro(contract), new ContractJson(contract));
    }
}
