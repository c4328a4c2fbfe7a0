package io.streamlake.clickhouse.embedded;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** The StreamLake checkout: {@code STREAMLAKE_PROJECT_ROOT}, else the nearest ancestor of the working dir holding mvnw and .ci. */
public final class ProjectRoot {

    private ProjectRoot() {
    }

    public static Optional<Path> find() {
        String configured = System.getenv("STREAMLAKE_PROJECT_ROOT");
        if (configured != null && !configured.isBlank() && Files.isDirectory(Path.of(configured))) {
            return Optional.of(Path.of(configured).toAbsolutePath());
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("mvnw")) && Files.isDirectory(dir.resolve(".ci"))) {
                return Optional.of(dir);
            }
        }
        return Optional.empty();
    }
}
