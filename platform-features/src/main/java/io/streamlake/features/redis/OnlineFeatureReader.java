package io.streamlake.features.redis;

import io.lettuce.core.KeyValue;
import io.lettuce.core.LettuceFutures;
import io.lettuce.core.RedisClient;
import io.lettuce.core.metrics.CommandLatencyRecorder;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
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
 * apps that want features without an HTTP hop. One pipelined round trip per call: for each entity row, one HMGET
 * of the requested views' {@code _ts} fields and feature fields (views of the same entities share Feast's hash).
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
    private final ClientResources resources;
    private final RedisClient client;
    private final StatefulRedisConnection<byte[], byte[]> connection;
    private final Duration timeout;
    private final Clock clock;

    public OnlineFeatureReader(FeatureRegistry registry, RedisURI uri, Duration timeout, Clock clock) {
        this.registry = registry;
        // no per-command latency histogram (Lettuce records one by default): a lookup is thousands of commands
        this.resources = DefaultClientResources.builder().commandLatencyRecorder(CommandLatencyRecorder.disabled()).build();
        this.client = RedisClient.create(resources, uri);
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
        // Feast keeps every view of an entity key in one hash: views of the same entities are one HMGET per row,
        // their _ts and feature fields side by side (where each view's start in the reply is kept)
        Map<List<FeatureRegistry.Entity>, List<String>> byEntities = new LinkedHashMap<>();
        for (String view : byView.keySet()) {
            byEntities.computeIfAbsent(registry.entitiesOf(registry.featureView(view).orElseThrow()), k -> new ArrayList<>()).add(view);
        }
        RedisAsyncCommands<byte[], byte[]> redis = connection.async();
        Map<String, List<RedisFuture<List<KeyValue<byte[], byte[]>>>>> replies = new LinkedHashMap<>();
        Map<String, Integer> viewOffset = new LinkedHashMap<>();
        List<RedisFuture<?>> all = new ArrayList<>();
        // Commands issued back to back without waiting are pipelined on the (thread-safe) connection.
        for (Map.Entry<List<FeatureRegistry.Entity>, List<String>> group : byEntities.entrySet()) {
            List<byte[]> fieldList = new ArrayList<>();
            for (String view : group.getValue()) {
                viewOffset.put(view, fieldList.size());
                fieldList.add(FeastRedisLayout.timestampField(view));
                for (FeatureRef ref : byView.get(view)) {
                    fieldList.add(FeastRedisLayout.featureField(view, ref.feature()));
                }
            }
            byte[][] fields = fieldList.toArray(byte[][]::new);
            List<RedisFuture<List<KeyValue<byte[], byte[]>>>> perRow = new ArrayList<>(rows);
            for (int row = 0; row < rows; row++) {
                Map<String, FeastValue> key = new LinkedHashMap<>();
                for (FeatureRegistry.Entity entity : group.getKey()) {
                    key.put(entity.joinKey(), entityColumns.get(entity.joinKey()).get(row));
                }
                perRow.add(redis.hmget(FeastRedisLayout.redisKey(registry.project(), new EntityKey(key)), fields));
            }
            group.getValue().forEach(view -> replies.put(view, perRow));
            all.addAll(perRow);
        }
        if (!LettuceFutures.awaitAll(timeout.toMillis(), TimeUnit.MILLISECONDS, all.toArray(RedisFuture[]::new))) {
            throw new FeastRedisWriter.RedisUnavailableException("Redis did not answer within " + timeout, null);
        }
        Instant now = clock.instant();
        Map<FeatureRef, List<FeatureValue>> results = new LinkedHashMap<>();
        for (Map.Entry<String, List<FeatureRef>> e : byView.entrySet()) {
            Duration ttl = registry.featureView(e.getKey()).orElseThrow().ttl();
            List<RedisFuture<List<KeyValue<byte[], byte[]>>>> perRow = replies.get(e.getKey());
            int offset = viewOffset.get(e.getKey());
            for (int i = 0; i < e.getValue().size(); i++) {
                List<FeatureValue> column = new ArrayList<>(rows);
                for (int row = 0; row < rows; row++) {
                    List<KeyValue<byte[], byte[]>> reply = get(perRow.get(row));
                    Instant ts = reply.get(offset).hasValue() ? FeastRedisLayout.parseTimestamp(reply.get(offset).getValue()) : null;
                    KeyValue<byte[], byte[]> field = reply.get(offset + i + 1);
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
        resources.shutdown();
    }
}
