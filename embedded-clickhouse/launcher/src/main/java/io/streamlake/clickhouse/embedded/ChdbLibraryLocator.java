package io.streamlake.clickhouse.embedded;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Finds libchdb.so: {@code STREAMLAKE_CHDB_LIB} or {@code -Dstreamlake.chdb.lib}, else the project's
 * ignored cache {@code .cache/chdb/<version>/libchdb.so}, which {@code bin/fetch-chdb} fills.
 */
public final class ChdbLibraryLocator {

    /** The chDB build the project is tested with (npm package @chdb/lib-linux-x64-gnu). */
    public static final String CHDB_VERSION = "26.7.3-stable.1";

    private ChdbLibraryLocator() {
    }

    public static Path locate() {
        String configured = firstNonBlank(System.getProperty("streamlake.chdb.lib"), System.getenv("STREAMLAKE_CHDB_LIB"));
        if (configured != null) {
            Path path = Path.of(configured);
            if (!Files.isRegularFile(path)) {
                throw new IllegalStateException("libchdb configured at " + path + " does not exist");
            }
            return path.toAbsolutePath();
        }
        Optional<Path> root = ProjectRoot.find();
        Path cached = root.map(r -> r.resolve(".cache/chdb").resolve(CHDB_VERSION).resolve("libchdb.so")).orElse(null);
        if (cached != null && Files.isRegularFile(cached)) {
            return cached;
        }
        throw new IllegalStateException("libchdb.so not found" + (cached == null ? "" : " at " + cached)
                + ". Run bin/fetch-chdb (npm pack @chdb/lib-linux-x64-gnu@" + CHDB_VERSION + ") or set STREAMLAKE_CHDB_LIB.");
    }

    private static String firstNonBlank(String a, String b) {
        if (a != null && !a.isBlank()) {
            return a;
        }
        return b != null && !b.isBlank() ? b : null;
    }
}
