package io.streamlake.stream;

import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;

import java.time.Instant;
import java.util.function.BooleanSupplier;

/**
 * The health of a store an app depends on (a sink's database, the schema registry): DOWN while calls to it fail (with
 * the error, the failures in a row and since when), or when it does not answer a ping; UP otherwise, with the time of
 * the last successful call.
 */
public class WriteHealth implements HealthIndicator {

    private final BooleanSupplier ping;
    private final String store;
    private volatile String lastError;
    private volatile int failuresInARow;
    private volatile Instant failingSince;
    private volatile Instant lastSuccess;

    public WriteHealth(String store, BooleanSupplier ping) {
        this.store = store;
        this.ping = ping;
    }

    public void succeeded() {
        lastError = null;
        failuresInARow = 0;
        failingSince = null;
        lastSuccess = Instant.now();
    }

    public void failed(Throwable error) {
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
        Health.Builder builder = ping.getAsBoolean() ? Health.up() : Health.down().withDetail("error", store + " does not answer a ping");
        return lastSuccess == null ? builder.build() : builder.withDetail("lastSuccessfulWrite", lastSuccess.toString()).build();
    }
}
