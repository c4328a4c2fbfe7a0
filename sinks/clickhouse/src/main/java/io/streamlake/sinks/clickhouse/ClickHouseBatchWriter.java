package io.streamlake.sinks.clickhouse;

import com.clickhouse.client.api.ServerException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.streamlake.common.json.Json;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Writes batches of JSON records to one ClickHouse table as JSONEachRow, so columns map by name and any
 * JSON event type fits any table (optionally renaming fields to columns). No Spring in here.
 * <ul>
 *   <li>Each insert carries a deduplication token computed from the Kafka topic/partition/offsets it holds:
 *       retrying the same rows is a no-op on the server.</li>
 *   <li>When ClickHouse refuses the data itself (a server error not in {@link #TRANSIENT_SERVER_ERRORS}), the
 *       batch is split in halves until
 *       the refused rows are alone; they come back as {@link Rejected}, everything else is written.</li>
 *   <li>Any other failure (ClickHouse down, timeouts, overload) is a {@link TransientWriteException}: nothing
 *       is reported written, and the caller retries the same batch.</li>
 * </ul>
 */
public final class ClickHouseBatchWriter {

    /**
     * Server errors that say "not now" or "not configured yet", not "not this data": overload, timeouts, a
     * missing table or database, authentication, read-only. Retried. Any other server error is about the rows
     * (the many parse and type errors, whatever their code) and is narrowed down by splitting the batch, so
     * one bad row can never hold the stream up.
     */
    static final Set<Integer> TRANSIENT_SERVER_ERRORS = Set.of(
            3, // UNEXPECTED_END_OF_FILE (connection cut)
            60, 81, // UNKNOWN_TABLE, UNKNOWN_DATABASE: an operator will create them
            159, 160, 209, 210, // TIMEOUT_EXCEEDED, TOO_SLOW, SOCKET_TIMEOUT, NETWORK_ERROR
            164, 242, // READONLY, TABLE_IS_READ_ONLY
            202, 203, 241, 252, // too many queries / connections, MEMORY_LIMIT_EXCEEDED, TOO_MANY_PARTS
            236, 319, 394, 425, 999, // ABORTED, UNKNOWN_STATUS_OF_INSERT, QUERY_WAS_CANCELLED, SYSTEM_ERROR, KEEPER
            497, 516, // ACCESS_DENIED, AUTHENTICATION_FAILED
            1001); // STD_EXCEPTION

    /** Sends a JSONEachRow body to the table with a deduplication token; throws on any failure. */
    @FunctionalInterface
    public interface Inserter {
        void insert(byte[] jsonEachRow, String deduplicationToken) throws Exception;
    }

    /** A record ClickHouse refused, with its message. */
    public record Rejected(SinkRecord record, String message, Throwable cause) {
    }

    /** The result of a batch: rows written and rows refused. */
    public record Outcome(int written, List<Rejected> rejected) {
    }

    /** ClickHouse could not be written now; retrying the same batch later is safe. */
    public static final class TransientWriteException extends Exception {
        TransientWriteException(Throwable cause) {
            super(cause.getMessage(), cause);
        }
    }

    private final Inserter inserter;
    private final Map<String, String> fieldToColumn;

    /**
     * @param fieldToColumn JSON field names to rename to column names; empty passes records through unchanged
     */
    public ClickHouseBatchWriter(Inserter inserter, Map<String, String> fieldToColumn) {
        this.inserter = inserter;
        this.fieldToColumn = Map.copyOf(fieldToColumn);
    }

    public Outcome write(List<SinkRecord> records) throws TransientWriteException {
        List<Rejected> rejected = new ArrayList<>();
        List<SinkRecord> rows = new ArrayList<>(records.size());
        List<byte[]> bodies = new ArrayList<>(records.size());
        for (SinkRecord record : records) {
            try {
                bodies.add(Json.withFields(mapped(record.payload()), record.headerFields()));
                rows.add(record);
            } catch (IllegalArgumentException notAnObject) {
                rejected.add(new Rejected(record, notAnObject.getMessage(), notAnObject));
            }
        }
        int written = write(rows, bodies, rejected);
        return new Outcome(written, rejected);
    }

    private int write(List<SinkRecord> rows, List<byte[]> bodies, List<Rejected> rejected) throws TransientWriteException {
        if (rows.isEmpty()) {
            return 0;
        }
        try {
            inserter.insert(join(bodies), token(rows));
            return rows.size();
        } catch (Exception e) {
            ServerException server = serverException(e);
            if (server == null || TRANSIENT_SERVER_ERRORS.contains(server.getCode())) {
                if (e instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                }
                throw new TransientWriteException(e);
            }
            if (rows.size() == 1) {
                rejected.add(new Rejected(rows.get(0), server.getMessage(), server));
                return 0;
            }
            int half = rows.size() / 2;
            return write(rows.subList(0, half), bodies.subList(0, half), rejected)
                    + write(rows.subList(half, rows.size()), bodies.subList(half, bodies.size()), rejected);
        }
    }

    private byte[] mapped(byte[] payload) {
        if (fieldToColumn.isEmpty()) {
            return payload;
        }
        JsonNode node;
        try {
            node = Json.mapper().readTree(payload);
        } catch (IOException e) {
            throw new IllegalArgumentException("not valid JSON: " + e.getMessage());
        }
        if (!(node instanceof ObjectNode object)) {
            throw new IllegalArgumentException("not a JSON object");
        }
        fieldToColumn.forEach((field, column) -> {
            JsonNode value = object.remove(field);
            if (value != null) {
                object.set(column, value);
            }
        });
        return object.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] join(List<byte[]> bodies) {
        int size = bodies.stream().mapToInt(b -> b.length + 1).sum();
        ByteArrayOutputStream out = new ByteArrayOutputStream(size);
        for (byte[] body : bodies) {
            out.write(body, 0, body.length);
            out.write('\n');
        }
        return out.toByteArray();
    }

    /** Same rows, same token: a hash of every (topic, partition, offset) in the batch. */
    static String token(List<SinkRecord> rows) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (SinkRecord r : rows) {
                sha.update((r.topic() + ':' + r.partition() + ':' + r.offset() + ';').getBytes(StandardCharsets.UTF_8));
            }
            return "streamlake-" + HexFormat.of().formatHex(sha.digest(), 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static ServerException serverException(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ServerException server) {
                return server;
            }
        }
        return null;
    }
}
