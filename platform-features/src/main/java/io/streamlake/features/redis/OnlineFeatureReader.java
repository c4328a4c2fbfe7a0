package io.streamlake.features.redis;

import io.lettuce.core.KeyValue;
import io.lettuce.core.LettuceFutures;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.streamlake.features.feast.EntityKey;
import io.streamlake.features.feast.FeastRedisLayout;
import io.streamlake.features.feast.FeastValue;
import io.streamlake.features.registry.FeatureRegistry;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Online feature lookups from Redis in Feast's layout, in process: the library behind the feature server, for
 * apps that want features without an HTTP hop. One pipelined round trip per call: for each entity and each
 * feature view requested, an HMGET of the view's {@code _ts} field and the requested feature fields.
 * Statuses follow Feast: PRESENT; NOT_FOUND (no row, or the feature was never written); OUTSIDE_MAX_AGE (the
 * row's event time is older than the view's TTL; the value is still returned).
 */
public final class OnlineFeatureReader implements AutoCloseable {

    /** Feast's field statuses. */
    public enum Status { PRESENT, NOT_FOUND, OUTSIDE_MAX_AGE }

    /** A {@code feature_view:feature} reference. */
    public record FeatureRef(String featureView, String feature) {
        public static FeatureRef parse(String reference) {
            int colon = reference.indexOf(':');
            if (colon <= 0 || colon == reference.length() - 1) {
                throw new IllegalArgumentException("feature reference '" + reference + "' must be feature_view:feature");
            }
            return new FeatureRef(reference.substring(0, colon), reference.substring(colon + 1));
        }

        @Override
        public String toString() {
            return featureView + ":" + feature;
        }
    }

    /** One looked-up value; {@code value} is null when NOT_FOUND, {@code eventTimestamp} null when there is no row. */
    public record FeatureValue(FeastValue value, Status status, Instant eventTimestamp) {
    }

    private final FeatureRegistry registry;
    private final RedisClient client;
    private final StatefulRedisConnection<byte[], byte[]> connection;
    private final Duration timeout;
    private final Clock clock;

    public OnlineFeatureReader(FeatureRegistry registry, RedisURI uri, Duration timeout, Clock clock) {
        this.registry = registry;
        this.client = RedisClient.create(uri);
        // While Redis is unreachable, fail lookups at once (the server answers 503) and keep reconnecting.
        this.client.setOptions(io.lettuce.core.ClientOptions.builder()
                .disconnectedBehavior(io.lettuce.core.ClientOptions.DisconnectedBehavior.REJECT_COMMANDS).build());
        this.connection = client.connect(ByteArrayCodec.INSTANCE);
        this.timeout = timeout;
        this.clock = clock;
    }

    /**
     * Checks the references and entity columns against the registry; throws IllegalArgumentException naming the
     * problem (unknown view or feature, a missing join key column, columns of different lengths).
     */
    public void validate(List<FeatureRef> refs, Map<String, List<FeastValue>> entityColumns) {
        if (refs.isEmpty()) {
            throw new IllegalArgumentException("no features requested");
        }
        int rows = -1;
        for (List<FeastValue> column : entityColumns.values()) {
            if (rows >= 0 && column.size() != rows) {
                throw new IllegalArgumentException("entity columns must all have the same length");
            }
            rows = column.size();
        }
        if (rows <= 0) {
            throw new IllegalArgumentException("no entities given");
        }
        for (FeatureRef ref : refs) {
            FeatureRegistry.FeatureView view = registry.featureView(ref.featureView()).orElseThrow(() ->
                    new IllegalArgumentException("unknown feature view '" + ref.featureView() + "'"));
            if (view.feature(ref.feature()).isEmpty()) {
                throw new IllegalArgumentException("feature view '" + ref.featureView() + "' has no feature '" + ref.feature() + "'");
            }
            for (FeatureRegistry.Entity entity : registry.entitiesOf(view)) {
                List<FeastValue> column = entityColumns.get(entity.joinKey());
                if (column == null) {
                    throw new IllegalArgumentException("feature view '" + view.name() + "' needs entity column '"
                            + entity.joinKey() + "'");
                }
                for (FeastValue v : column) {
                    if (v.type() != entity.valueType().valueType()) {
                        throw new IllegalArgumentException("entity column '" + entity.joinKey() + "' must hold "
                                + entity.valueType().feastName() + " values");
                    }
                }
            }
        }
    }

    /**
     * Looks up {@code refs} for every row of {@code entityColumns} (join key → one value per row).
     *
     * @return per feature reference (in request order), one value per entity row
     */
    public List<List<FeatureValue>> read(List<FeatureRef> refs, Map<String, List<FeastValue>> entityColumns) {
        validate(refs, entityColumns);
        try {
            return lookup(refs, entityColumns);
        } catch (io.lettuce.core.RedisException e) {
            throw new FeastRedisWriter.RedisUnavailableException("Redis is unavailable: " + e.getMessage(), e);
        }
    }

    private List<List<FeatureValue>> lookup(List<FeatureRef> refs, Map<String, List<FeastValue>> entityColumns) {
        int rows = entityColumns.values().iterator().next().size();
        Map<String, List<FeatureRef>> byView = new LinkedHashMap<>();
        for (FeatureRef ref : refs) {
            byView.computeIfAbsent(ref.featureView(), v -> new ArrayList<>()).add(ref);
        }
        RedisAsyncCommands<byte[], byte[]> redis = connection.async();
        Map<String, List<RedisFuture<List<KeyValue<byte[], byte[]>>>>> replies = new LinkedHashMap<>();
        // Commands issued back to back without waiting are pipelined on the (thread-safe) connection.
        {
            for (Map.Entry<String, List<FeatureRef>> e : byView.entrySet()) {
                FeatureRegistry.FeatureView view = registry.featureView(e.getKey()).orElseThrow();
                byte[][] fields = new byte[e.getValue().size() + 1][];
                fields[0] = FeastRedisLayout.timestampField(view.name());
                for (int i = 0; i < e.getValue().size(); i++) {
                    fields[i + 1] = FeastRedisLayout.featureField(view.name(), e.getValue().get(i).feature());
                }
                List<RedisFuture<List<KeyValue<byte[], byte[]>>>> perRow = new ArrayList<>(rows);
                for (int row = 0; row < rows; row++) {
                    Map<String, FeastValue> key = new LinkedHashMap<>();
                    for (FeatureRegistry.Entity entity : registry.entitiesOf(view)) {
                        key.put(entity.joinKey(), entityColumns.get(entity.joinKey()).get(row));
                    }
                    perRow.add(redis.hmget(FeastRedisLayout.redisKey(registry.project(), new EntityKey(key)), fields));
                }
                replies.put(view.name(), perRow);
            }
        }
        List<RedisFuture<?>> all = new ArrayList<>();
        replies.values().forEach(all::addAll);
        if (!LettuceFutures.awaitAll(timeout.toMillis(), TimeUnit.MILLISECONDS, all.toArray(RedisFuture[]::new))) {
            throw new FeastRedisWriter.RedisUnavailableException("Redis did not answer within " + timeout, null);
        }
        Instant now = clock.instant();
        Map<FeatureRef, List<FeatureValue>> results = new LinkedHashMap<>();
        for (Map.Entry<String, List<FeatureRef>> e : byView.entrySet()) {
            Duration ttl = registry.featureView(e.getKey()).orElseThrow().ttl();
            List<RedisFuture<List<KeyValue<byte[], byte[]>>>> perRow = replies.get(e.getKey());
            for (int i = 0; i < e.getValue().size(); i++) {
                List<FeatureValue> column = new ArrayList<>(rows);
                for (int row = 0; row < rows; row++) {
                    List<KeyValue<byte[], byte[]>> reply = get(perRow.get(row));
                    Instant ts = reply.get(0).hasValue() ? FeastRedisLayout.parseTimestamp(reply.get(0).getValue()) : null;
                    KeyValue<byte[], byte[]> field = reply.get(i + 1);
                    if (ts == null || !field.hasValue()) {
                        column.add(new FeatureValue(null, Status.NOT_FOUND, ts));
                    } else {
                        Status status = !ttl.isZero() && ts.isBefore(now.minus(ttl)) ? Status.OUTSIDE_MAX_AGE : Status.PRESENT;
                        column.add(new FeatureValue(FeastValue.fromProtobuf(field.getValue()), status, ts));
                    }
                }
                results.put(e.getValue().get(i), column);
            }
        }
        return refs.stream().map(results::get).toList();
    }

    private static <T> T get(RedisFuture<T> future) {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            throw new FeastRedisWriter.RedisUnavailableException("Redis refused a lookup: " + e.getCause(), e.getCause());
        }
    }

    /** Per feature view, what the project's writers have written ({@link FeatureFreshness}). */
    public Map<String, FeatureFreshness.View> freshness() {
        try {
            return FeatureFreshness.parse(connection.async().hgetall(FeatureFreshness.key(registry.project()))
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException | java.util.concurrent.TimeoutException | io.lettuce.core.RedisException e) {
            throw new FeastRedisWriter.RedisUnavailableException("Redis did not give the freshness of features: " + e, e);
        }
    }

    /** True when Redis answers PING. */
    public boolean ping() {
        try {
            return "PONG".equals(connection.async().ping().get(2, TimeUnit.SECONDS));
        } catch (Exception e) {
            return false;
        }
    }

    @Override
    public void close() {
        connection.close();
        client.shutdown();
    }
}
