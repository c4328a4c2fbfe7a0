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
 * <p>Per view it also keeps what it wrote ({@link #stats()}: newest event time, rows written, stale rows skipped) and
 * adds the same to the project's {@link FeatureFreshness} hash in the second round trip, so every writer (the sink,
 * materialization, the feature server's push) feeds one view of each feature view's freshness.
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

    /** What this writer wrote to one view since it started. */
    public static final class ViewStats {
        private volatile long newestMillis = Long.MIN_VALUE;
        private final java.util.concurrent.atomic.AtomicLong written = new java.util.concurrent.atomic.AtomicLong();
        private final java.util.concurrent.atomic.AtomicLong stale = new java.util.concurrent.atomic.AtomicLong();

        /** The newest event time written, or null before the first row. */
        public Instant newest() {
            long n = newestMillis;
            return n == Long.MIN_VALUE ? null : Instant.ofEpochMilli(n);
        }

        public long written() {
            return written.get();
        }

        public long stale() {
            return stale.get();
        }
    }

    private final Map<String, ViewStats> stats = new java.util.concurrent.ConcurrentHashMap<>();
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
        Map<String, long[]> perView = new LinkedHashMap<>(); // view → newest millis written, written, stale
        for (FeatureRow row : rows) {
            perView.computeIfAbsent(row.featureView(), v -> new long[] {Long.MIN_VALUE, 0, 0})[2]++;
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
            long[] view = perView.get(p.row.featureView());
            view[0] = Math.max(view[0], p.row.eventTimestamp().toEpochMilli());
            view[1]++;
            view[2]--; // counted as a row of the batch above; written, so not stale
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
        for (Map.Entry<String, long[]> v : perView.entrySet()) {
            writes.addAll(FeatureFreshness.record(redis, project, v.getKey(), v.getValue()[0], v.getValue()[1], v.getValue()[2]));
        }
        await(writes);
        perView.forEach((view, counts) -> {
            ViewStats s = stats.computeIfAbsent(view, x -> new ViewStats());
            if (counts[0] > s.newestMillis) {
                s.newestMillis = counts[0];
            }
            s.written.addAndGet(counts[1]);
            s.stale.addAndGet(counts[2]);
        });
        return new Result(written, stale);
    }

    /** Per view written to since start: newest event time, rows written, stale rows skipped. */
    public Map<String, ViewStats> stats() {
        return stats;
    }

    /** The stats of one view (created empty, so a gauge can be registered before the first row). */
    public ViewStats stats(String view) {
        return stats.computeIfAbsent(view, x -> new ViewStats());
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
