package io.streamlake.sinks.clickhouse;

import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;

import java.time.Instant;
import java.util.function.BooleanSupplier;

/**
 * DOWN while inserts fail (with the error, the failures in a row and since when), or when ClickHouse does
 * not answer a ping; UP otherwise. Shown as {@code clickhouseSink} under /actuator/health.
 */
public class ClickHouseSinkHealth implements HealthIndicator {

    private final BooleanSupplier ping;
    private volatile String lastError;
    private volatile int failuresInARow;
    private volatile Instant failingSince;
    private volatile Instant lastSuccess;

    public ClickHouseSinkHealth(BooleanSupplier ping) {
        this.ping = ping;
    }

    void succeeded() {
        lastError = null;
        failuresInARow = 0;
        failingSince = null;
        lastSuccess = Instant.now();
    }

    void failed(Throwable error) {
        lastError = String.valueOf(error.getMessage());
        if (failuresInARow++ == 0) {
            failingSince = Instant.now();
        }
    }

    @Override
    public Health health() {
        if (failuresInARow > 0) {
            return Health.down().withDetail("error", lastError).withDetail("failuresInARow", failuresInARow)
                    .withDetail("failingSince", failingSince.toString()).build();
        }
        Health.Builder builder = ping.getAsBoolean() ? Health.up() : Health.down().withDetail("error", "ClickHouse does not answer /ping");
        return lastSuccess == null ? builder.build() : builder.withDetail("lastSuccessfulInsert", lastSuccess.toString()).build();
    }
}
