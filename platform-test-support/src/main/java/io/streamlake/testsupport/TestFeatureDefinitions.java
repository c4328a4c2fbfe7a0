package io.streamlake.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Feature definitions shipped on the classpath (e.g. {@code io/streamlake/features/casino-features.yaml}), copied to a
 * file under a project name of the test's own: Feast's Redis keys end with the project, so a test's keys are its own
 * (and {@link TestRedis#deleteKeysEndingWith} removes them).
 */
public final class TestFeatureDefinitions {

    private TestFeatureDefinitions() {
    }

    /** The resource with its {@code project:} line set to {@code project}, written to a new file in {@code dir}. */
    public static Path withProject(String resource, String project, Path dir) {
        try (InputStream in = TestFeatureDefinitions.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalArgumentException("no feature definitions on the classpath at " + resource);
            }
            String yaml = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            String renamed = yaml.replaceFirst("(?m)^project: .*$", "project: " + project);
            if (renamed.equals(yaml)) {
                throw new IllegalArgumentException(resource + " has no 'project:' line");
            }
            Path file = Files.createTempFile(dir, "features", ".yaml");
            Files.writeString(file, renamed);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
