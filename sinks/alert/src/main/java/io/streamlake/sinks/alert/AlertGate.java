package io.streamlake.sinks.alert;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.streamlake.core.alert.Alert;

import java.time.Duration;
import java.time.Instant;

/**
 * Decides whether an alert goes out, so one bad customer does not send 1,000 mails; no Spring in here. Kept in Redis,
 * so the memory survives a restart of the sink and is shared by its instances:
 * <ul>
 *   <li><b>de-duplication:</b> the first alert about a subject ({@code kind:key}) within the window goes out, later ones
 *   about the same subject are suppressed ({@code SET key alert_id NX PX window}). The same alert id seen again (a
 *   redelivery after a crash) is not a duplicate: it goes out again, and the receiver drops it by its id;</li>
 *   <li><b>rate limit:</b> at most {@code perMinute} alerts a channel per clock minute (a counter per channel and
 *   minute that expires); past it, alerts are suppressed for that channel until the next minute.</li>
 * </ul>
 * Suppressed alerts are counted and logged by the sink, never silently dropped. Redis unreachable makes the write
 * unavailable, so the alerts wait (their offsets uncommitted) rather than go out unchecked.
 */
final class AlertGate implements AutoCloseable {

    /** Why an alert was held back. */
    enum Verdict { SEND, DUPLICATE, RATE_LIMITED }

    private final RedisClient client;
    private final StatefulRedisConnection<String, String> connection;
    private final String prefix;
    private final Duration window;
    private final int perMinute;

    AlertGate(String redisUri, String prefix, Duration window, int perMinute, Duration timeout) {
        RedisURI uri = RedisURI.create(redisUri);
        uri.setTimeout(timeout);
        this.client = RedisClient.create(uri);
        this.connection = client.connect();
        this.prefix = prefix;
        this.window = window;
        this.perMinute = perMinute;
    }

    private RedisCommands<String, String> redis() {
        return connection.sync();
    }

    /** Whether {@code alert} is the first about its subject within the window (or the same alert again). */
    Verdict deduplicate(Alert alert) throws AlertChannel.Unavailable {
        if (window.isZero()) {
            return Verdict.SEND;
        }
        try {
            String key = prefix + "dedup:" + alert.subject();
            if ("OK".equals(redis().set(key, alert.alertId(), SetArgs.Builder.nx().px(window.toMillis())))) {
                return Verdict.SEND;
            }
            return alert.alertId().equals(redis().get(key)) ? Verdict.SEND : Verdict.DUPLICATE;
        } catch (RedisException e) {
            throw new AlertChannel.Unavailable("Redis (alert de-duplication) unavailable: " + e.getMessage(), e);
        }
    }

    /** Counts {@code alert} against the channel's minute and says whether it is within the limit. */
    Verdict rateLimit(String channel, Instant now) throws AlertChannel.Unavailable {
        if (perMinute <= 0) {
            return Verdict.SEND;
        }
        try {
            String key = prefix + "rate:" + channel + ":" + Math.floorDiv(now.getEpochSecond(), 60);
            long count = redis().incr(key);
            if (count == 1) {
                redis().expire(key, 120);
            }
            return count <= perMinute ? Verdict.SEND : Verdict.RATE_LIMITED;
        } catch (RedisException e) {
            throw new AlertChannel.Unavailable("Redis (alert rate limit) unavailable: " + e.getMessage(), e);
        }
    }

    boolean ping() {
        try {
            return "PONG".equals(redis().ping());
        } catch (RedisException e) {
            return false;
        }
    }

    @Override
    public void close() {
        connection.close();
        client.shutdown();
    }
}
