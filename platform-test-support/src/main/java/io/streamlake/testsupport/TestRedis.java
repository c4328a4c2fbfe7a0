package io.streamlake.testsupport;

import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;

/**
 * The machine's Redis (127.0.0.1:6379), overridable with {@code STREAMLAKE_REDIS_HOST} and
 * {@code STREAMLAKE_REDIS_PORT}. Tests share one Redis, so each writes under a key prefix of its own
 * ({@link #keyPrefix(String)}) and removes it with {@link #deleteKeys(String)}.
 */
public final class TestRedis {

    private TestRedis() {
    }

    public static String host() {
        return TestPostgres.env("STREAMLAKE_REDIS_HOST", "127.0.0.1");
    }

    public static int port() {
        return Integer.parseInt(TestPostgres.env("STREAMLAKE_REDIS_PORT", "6379"));
    }

    public static RedisURI uri() {
        return RedisURI.create(host(), port());
    }

    /** A key prefix no other test uses, ending in ':'. */
    public static String keyPrefix(String prefix) {
        return UniqueNames.next(prefix) + ":";
    }

    /** Deletes every key under {@code prefix} (SCAN, not KEYS, so a shared Redis is never blocked). */
    public static long deleteKeys(String prefix) {
        RedisClient client = RedisClient.create(uri());
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            RedisCommands<String, String> redis = connection.sync();
            long deleted = 0;
            ScanCursor cursor = ScanCursor.INITIAL;
            do {
                KeyScanCursor<String> page = redis.scan(cursor, ScanArgs.Builder.matches(escapeGlob(prefix) + "*").limit(1000));
                if (!page.getKeys().isEmpty()) {
                    deleted += redis.del(page.getKeys().toArray(String[]::new));
                }
                cursor = page;
            } while (!cursor.isFinished());
            return deleted;
        } finally {
            client.shutdown();
        }
    }

    /**
     * Deletes every key ending with {@code suffix}, compared as bytes: for binary keys such as Feast's, which end
     * with the project name (give each test a project of its own).
     */
    public static long deleteKeysEndingWith(String suffix) {
        RedisClient client = RedisClient.create(uri());
        try (StatefulRedisConnection<byte[], byte[]> connection = client.connect(io.lettuce.core.codec.ByteArrayCodec.INSTANCE)) {
            var redis = connection.sync();
            long deleted = 0;
            ScanCursor cursor = ScanCursor.INITIAL;
            do {
                KeyScanCursor<byte[]> page = redis.scan(cursor, ScanArgs.Builder.matches("*" + escapeGlob(suffix)).limit(1000));
                if (!page.getKeys().isEmpty()) {
                    deleted += redis.del(page.getKeys().toArray(byte[][]::new));
                }
                cursor = page;
            } while (!cursor.isFinished());
            return deleted;
        } finally {
            client.shutdown();
        }
    }

    private static String escapeGlob(String s) {
        return s.replaceAll("([*?\\[\\]\\\\])", "\\\\$1");
    }
}
