package io.streamlake.testsupport;

import io.streamlake.clickhouse.embedded.EmbeddedClickHouse;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The embedded ClickHouse shared by all tests of one JVM: its own process on a free port, with a
 * throw-away data directory. Tests isolate themselves with {@link #createDatabase(String)}. A test that
 * stops or kills ClickHouse on purpose starts its own {@link EmbeddedClickHouse} instead.
 */
public final class TestClickHouse {

    private static EmbeddedClickHouse shared;

    private TestClickHouse() {
    }

    public static synchronized EmbeddedClickHouse shared() {
        if (shared == null) {
            try {
                Path dataDir = Files.createTempDirectory("streamlake-test-clickhouse");
                shared = EmbeddedClickHouse.builder().dataDir(dataDir).build().start();
                EmbeddedClickHouse started = shared;
                Runtime.getRuntime().addShutdownHook(new Thread(started::stop, "test-clickhouse-shutdown"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return shared;
    }

    /** Creates a database no other test uses and returns its name. */
    public static String createDatabase(String prefix) {
        String name = UniqueNames.next(prefix);
        shared().query("CREATE DATABASE " + name);
        return name;
    }

    /** clickhouse-jdbc URL of a database on the shared server. */
    public static String jdbcUrl(String database) {
        return shared().jdbcUrl(database);
    }
}
