package io.streamlake.core.contract;

import io.streamlake.core.event.InvalidEventException;
import io.streamlake.core.event.RejectionReason;

import org.apache.avro.Schema;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The wire formats a contract's records travel in, told apart per record, so JSON and Avro producers can share a topic:
 * <ul>
 *   <li><b>Avro with its schema in a header</b>, as Spring Cloud Stream's schema-registry message converter writes it:
 *       plain Avro binary, and a {@code contentType} header {@code application/vnd.<subject>.v<version>+avro} naming
 *       the writer's schema in the registry;</li>
 *   <li><b>Confluent's framing</b>, which many producers use: byte 0, a 4-byte big-endian schema id, then Avro binary
 *       (JSON never starts with a zero byte, so the two cannot be confused);</li>
 *   <li><b>JSON</b>, everything else (the default, fastest path).</li>
 * </ul>
 */
public final class ContractWire {

    /** The header Spring Cloud Stream names the payload's type in. */
    public static final String CONTENT_TYPE = "contentType";
    private static final Pattern AVRO_TYPE = Pattern.compile("application/vnd\\.([A-Za-z0-9_.-]+?)\\.v(\\d+)\\+avro");
    private static final byte CONFLUENT_MAGIC = 0;

    /** How an app writes records. */
    public enum Format {
        /** JSON (the default). */
        JSON,
        /** Avro binary with the {@code contentType} header naming subject and version (Spring Cloud Stream's form). */
        AVRO,
        /** Avro binary in Confluent's framing (magic byte, schema id). */
        CONFLUENT_AVRO
    }

    private final ContractJson json;
    private final ContractAvro avro;
    private final ContractRepository schemas;

    /** Reads records into {@code contract}'s values, finding writer schemas in {@code schemas}. */
    public ContractWire(Contract contract, ContractRepository schemas) {
        this.json = new ContractJson(contract);
        this.avro = new ContractAvro(contract);
        this.schemas = schemas;
    }

    public ContractJson json() {
        return json;
    }

    public ContractAvro avro() {
        return avro;
    }

    /**
     * The record in {@code format}: JSON, Avro binary (its {@link #contentType} names the schema), or Avro in Confluent's
     * framing (only for a contract from a registry, whose id it carries).
     */
    public byte[] write(Object[] values, Format format) {
        return switch (format) {
            case JSON -> json.write(values);
            case AVRO -> avro.write(values);
            case CONFLUENT_AVRO -> confluentFrame(confluentId(), avro.write(values));
        };
    }

    /** The {@code contentType} header for records written in {@code format} (Confluent's framing names no type). */
    public String contentType(Format format) {
        Contract c = avro.contract();
        return switch (format) {
            case JSON -> "application/json";
            case AVRO -> avroContentType(c.subject(), c.version());
            case CONFLUENT_AVRO -> "application/octet-stream";
        };
    }

    /** Refuses, at start, a format the contract's origin cannot give (Confluent's framing needs a registry id). */
    public void checkWritable(Format format) {
        if (format == Format.CONFLUENT_AVRO) {
            confluentId();
        }
    }

    private int confluentId() {
        int id = avro.contract().registryId();
        if (id <= 0) {
            throw new ContractException("Confluent's framing carries a schema registry id, and " + avro.contract().subject()
                    + " was not read from a schema registry: set the contracts location to the registry's URL");
        }
        return id;
    }

    /** The {@code contentType} of Avro written with that subject's version. */
    public static String avroContentType(String subject, int version) {
        return "application/vnd." + subject + ".v" + version + "+avro";
    }

    /** Avro binary framed as Confluent's serializer frames it. */
    public static byte[] confluentFrame(int schemaId, byte[] avroBinary) {
        return ByteBuffer.allocate(5 + avroBinary.length).put(CONFLUENT_MAGIC).putInt(schemaId).put(avroBinary).array();
    }

    /**
     * The record's values in the contract, whatever its format; {@code contentType} is the record's header (a String,
     * a MimeType or bytes) or null.
     *
     * @throws InvalidEventException        for a record that cannot be read (MALFORMED_JSON, MALFORMED_AVRO, UNKNOWN_SCHEMA ...)
     * @throws RegistryUnavailableException when the writer's schema is needed and the registry cannot answer now
     */
    public Object[] read(byte[] payload, Object contentType) {
        Framed framed = avroFraming(payload, contentType, schemas);
        return framed == null ? json.read(payload) : avro.read(payload, framed.offset(), framed.writer());
    }

    /** Where a record's Avro starts and the schema it was written with. */
    public record Framed(Schema writer, int offset) {
    }

    /**
     * The writer schema and start of an Avro record ({@code contentType} naming the schema, or Confluent's framing), or
     * null for JSON.
     *
     * @throws InvalidEventException        for a record naming a schema {@code schemas} does not have, or a broken frame
     * @throws RegistryUnavailableException when the registry cannot answer now
     */
    public static Framed avroFraming(byte[] payload, Object contentType, ContractRepository schemas) {
        String type = contentType == null ? null
                : contentType instanceof byte[] b ? new String(b, StandardCharsets.UTF_8) : contentType.toString();
        if (type != null) {
            // Every record of a topic names the same few types: each is parsed and looked up once per repository.
            Object known = schemas.contentTypes.get(type);
            if (known instanceof Schema writer) {
                return new Framed(writer, 0);
            }
            if (known == null && type.toLowerCase(Locale.ROOT).endsWith("+avro")) {
                Matcher m = AVRO_TYPE.matcher(type.strip());
                if (!m.matches()) {
                    throw new InvalidEventException(RejectionReason.UNKNOWN_SCHEMA, null, "contentType '" + type
                            + "' does not name a schema as application/vnd.<subject>.v<version>+avro");
                }
                Schema writer = schemas.writerSchema(m.group(1), Integer.parseInt(m.group(2)));
                schemas.remember(type, writer);
                return new Framed(writer, 0);
            }
            if (known == null) {
                schemas.remember(type, ContractRepository.NOT_AVRO);
            }
        }
        if (payload.length > 0 && payload[0] == CONFLUENT_MAGIC) {
            if (payload.length < 5) {
                throw new InvalidEventException(RejectionReason.MALFORMED_AVRO, null, "a Confluent-framed record of "
                        + payload.length + " bytes: shorter than its 5-byte header");
            }
            return new Framed(schemas.writerSchema(ByteBuffer.wrap(payload, 1, 4).getInt()), 5);
        }
        return null;
    }
}
