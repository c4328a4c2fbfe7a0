package io.streamlake.features.redis;

import io.lettuce.core.LettuceFutures;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.streamlake.features.feast.FeastRedisLayout;
import io.streamlake.features.feast.FeastValue;
import io.streamlake.features.row.FeatureRow;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Writes feature rows to Redis in Feast's online-store layout ({@link FeastRedisLayout}), so Feast's own
 * client reads them. A batch costs two pipelined round trips: one reads each row's stored {@code _ts:<view>},
 * one writes the rows that are not older than what is stored (HSET of the timestamp and feature fields, and
 * PEXPIRE when a key TTL is set). Within a batch only the newest row per key and view is written.
 */
public final class FeastRedisWriter implements AutoCloseable {

    /** Redis could not be reached or did not answer in time; writing the same batch again later is safe. */
    public static final class RedisUnavailableException extends RuntimeException {
        RedisUnavailableException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** What a batch did. */
    public record Result(int written, int skippedAsStale) {
    }

    private final RedisClient client;
    private final StatefulRedisConnection<byte[], byte[]> connection;
    private final String project;
    private final Duration keyTtl;
    private final Duration timeout;

    /**
     * @param keyTtl expiry set on every written key; zero for none
     */
    public FeastRedisWriter(RedisURI uri, String project, Duration keyTtl, Duration timeout) {
        this.client = RedisClient.create(uri);
        this.connection = client.connect(ByteArrayCodec.INSTANCE);
        this.connection.setAutoFlushCommands(false); // this connection is the writer's own: pipeline by hand
        this.project = project;
        this.keyTtl = keyTtl;
        this.timeout = timeout;
    }

    /** Writes the rows; throws {@link RedisUnavailableException} when Redis cannot take them now. */
    public synchronized Result write(List<FeatureRow> rows) {
        try {
            return writeBatch(rows);
        } catch (io.lettuce.core.RedisException e) {
            throw new RedisUnavailableException("Redis is unavailable: " + e.getMessage(), e);
        }
    }

    private Result writeBatch(List<FeatureRow> rows) {
        Map<RowId, Prepared> newest = new LinkedHashMap<>();
        for (FeatureRow row : rows) {
            byte[] key = FeastRedisLayout.redisKey(project, row.entityKey());
            RowId id = new RowId(row.featureView(), java.nio.ByteBuffer.wrap(key)); // compares key bytes by content
            Prepared previous = newest.get(id);
            if (previous == null || !row.eventTimestamp().isBefore(previous.row.eventTimestamp())) {
                newest.put(id, new Prepared(row, key));
            }
        }
        int stale = rows.size() - newest.size();
        RedisAsyncCommands<byte[], byte[]> redis = connection.async();
        List<Prepared> prepared = new ArrayList<>(newest.values());
        List<RedisFuture<byte[]>> stored = new ArrayList<>(prepared.size());
        for (Prepared p : prepared) {
            stored.add(redis.hget(p.key, FeastRedisLayout.timestampField(p.row.featureView())));
        }
        await(stored);
        List<RedisFuture<?>> writes = new ArrayList<>();
        int written = 0;
        for (int i = 0; i < prepared.size(); i++) {
            Prepared p = prepared.get(i);
            byte[] storedTs = done(stored.get(i));
            if (storedTs != null && FeastRedisLayout.parseTimestamp(storedTs).isAfter(p.row.eventTimestamp())) {
                stale++;
                continue;
            }
            Map<byte[], byte[]> fields = new LinkedHashMap<>();
            fields.put(FeastRedisLayout.timestampField(p.row.featureView()), FeastRedisLayout.timestamp(p.row.eventTimestamp()));
            for (Map.Entry<String, FeastValue> v : p.row.values().entrySet()) {
                fields.put(FeastRedisLayout.featureField(p.row.featureView(), v.getKey()), v.getValue().toProtobuf());
            }
            writes.add(redis.hset(p.key, fields));
            if (!keyTtl.isZero()) {
                writes.add(redis.pexpire(p.key, keyTtl.toMillis()));
            }
            written++;
        }
        await(writes);
        return new Result(written, stale);
    }

    /** True when Redis answers PING. */
    public synchronized boolean ping() {
        try {
            RedisFuture<String> pong = connection.async().ping();
            connection.flushCommands();
            return "PONG".equals(pong.get(2, TimeUnit.SECONDS));
        } catch (Exception e) {
            return false;
        }
    }

    private void await(List<? extends RedisFuture<?>> futures) {
        connection.flushCommands();
        if (!LettuceFutures.awaitAll(timeout.toMillis(), TimeUnit.MILLISECONDS, futures.toArray(RedisFuture[]::new))) {
            throw new RedisUnavailableException("Redis did not answer within " + timeout, null);
        }
        for (RedisFuture<?> f : futures) {
            if (f.getError() != null) {
                throw new RedisUnavailableException("Redis refused a command: " + f.getError(), null);
            }
        }
    }

    /** The value of a future {@link #await} has seen complete. */
    private static <T> T done(RedisFuture<T> future) {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new RedisUnavailableException("Redis refused a command: " + e.getCause(), e.getCause());
        }
    }

    @Override
    public void close() {
        connection.close();
        client.shutdown();
    }

    private record Prepared(FeatureRow row, byte[] key) {
    }

    private record RowId(String featureView, java.nio.ByteBuffer key) {
    }
}
