package io.streamlake.testsupport;

import io.streamlake.common.sql.SqlIdentifier;

import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/** Names no other test (or earlier run) uses: topics, databases, schemas, Redis key prefixes. */
public final class UniqueNames {

    private static final String RUN = Long.toString(System.currentTimeMillis() / 1000 % 1_000_000, 36)
            + Integer.toString(ThreadLocalRandom.current().nextInt(36 * 36 * 36), 36);
    private static final AtomicInteger SEQUENCE = new AtomicInteger();

    private UniqueNames() {
    }

    /** e.g. {@code next("events")} → {@code events_k3x9a2_7}; a valid SQL identifier and Kafka topic name. */
    public static String next(String prefix) {
        String name = prefix + "_" + RUN + "_" + SEQUENCE.incrementAndGet();
        return SqlIdentifier.of("unique name", name).name();
    }
}
