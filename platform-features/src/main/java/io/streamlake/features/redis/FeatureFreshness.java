package io.streamlake.features.redis;

import io.lettuce.core.RedisFuture;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.async.RedisAsyncCommands;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Per feature view, what every writer of a project's online store has written: the newest event time, rows written
 * and stale rows skipped, in one Redis hash ({@code streamlake:freshness:<project>}, fields
 * {@code <view>:newest_ms}, {@code <view>:written}, {@code <view>:stale}). Writers add to it in their write pipeline;
 * the feature server reads it for {@code /features/views} and its {@code feature_freshness_seconds} gauge. It lives
 * beside Feast's keys without touching them (Feast's keys are binary entity keys ending in the project name).
 */
public final class FeatureFreshness {

    /** One view's totals; {@code newest} is null before its first row. */
    public record View(Instant newest, long written, long stale) {
    }

    /** Sets a field to a value only when it is greater than what the field holds: the newest time wins. */
    private static final String MAX = "local c = redis.call('HGET', KEYS[1], ARGV[1]) "
            + "if (not c) or tonumber(c) < tonumber(ARGV[2]) then redis.call('HSET', KEYS[1], ARGV[1], ARGV[2]) end return 0";

    private FeatureFreshness() {
    }

    public static byte[] key(String project) {
        return ("streamlake:freshness:" + project).getBytes(StandardCharsets.UTF_8);
    }

    /** The commands that add one batch's numbers for one view (issued, not awaited: part of the caller's pipeline). */
    static List<RedisFuture<?>> record(RedisAsyncCommands<byte[], byte[]> redis, String project, String view,
                                       long newestMillis, long written, long stale) {
        byte[] key = key(project);
        List<RedisFuture<?>> futures = new ArrayList<>(3);
        if (written > 0) {
            futures.add(redis.hincrby(key, bytes(view + ":written"), written));
        }
        if (stale > 0) {
            futures.add(redis.hincrby(key, bytes(view + ":stale"), stale));
        }
        if (newestMillis != Long.MIN_VALUE) {
            futures.add(redis.eval(MAX, ScriptOutputType.INTEGER, new byte[][] {key}, bytes(view + ":newest_ms"),
                    bytes(Long.toString(newestMillis))));
        }
        return futures;
    }

    /** The hash's contents, per view. */
    static Map<String, View> parse(Map<byte[], byte[]> hash) {
        Map<String, long[]> raw = new LinkedHashMap<>();
        for (Map.Entry<byte[], byte[]> e : hash.entrySet()) {
            String field = new String(e.getKey(), StandardCharsets.UTF_8);
            int colon = field.lastIndexOf(':');
            if (colon <= 0) {
                continue;
            }
            long[] v = raw.computeIfAbsent(field.substring(0, colon), x -> new long[] {Long.MIN_VALUE, 0, 0});
            long n = Long.parseLong(new String(e.getValue(), StandardCharsets.UTF_8));
            switch (field.substring(colon + 1)) {
                case "newest_ms" -> v[0] = n;
                case "written" -> v[1] = n;
                case "stale" -> v[2] = n;
                default -> {
                }
            }
        }
        Map<String, View> views = new LinkedHashMap<>();
        raw.forEach((view, v) -> views.put(view, new View(v[0] == Long.MIN_VALUE ? null : Instant.ofEpochMilli(v[0]), v[1], v[2])));
        return views;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
