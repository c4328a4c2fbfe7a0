package io.streamlake.definitions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarInputStream;

/**
 * Every configuration property an app accepts, as Spring Boot's configuration metadata of its executable jar lists
 * them: its own classes' and those of every library inside it. Map-typed properties (e.g.
 * {@code spring.cloud.stream.bindings}) accept any key below them. Names compare in Spring's relaxed form.
 */
final class AppMetadata {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String METADATA = "META-INF/spring-configuration-metadata.json";

    private final Set<String> names = new HashSet<>();
    private final Set<String> mapPrefixes = new HashSet<>();

    static AppMetadata of(Path executableJar) throws IOException {
        AppMetadata m = new AppMetadata();
        try (JarFile jar = new JarFile(executableJar.toFile())) {
            for (JarEntry e : java.util.Collections.list(jar.entries())) {
                if (e.getName().equals(METADATA) || e.getName().equals("BOOT-INF/classes/" + METADATA)) { // Boot 3 keeps it at the root
                    try (InputStream in = jar.getInputStream(e)) {
                        m.add(in);
                    }
                } else if (e.getName().startsWith("BOOT-INF/lib/") && e.getName().endsWith(".jar")) {
                    try (JarInputStream nested = new JarInputStream(jar.getInputStream(e))) {
                        for (JarEntry n = nested.getNextJarEntry(); n != null; n = nested.getNextJarEntry()) {
                            if (n.getName().equals(METADATA)) {
                                m.add(nested);
                            }
                        }
                    }
                }
            }
        }
        return m;
    }

    private void add(InputStream json) throws IOException {
        JsonNode root = JSON.readTree(json.readAllBytes());
        for (JsonNode p : root.path("properties")) {
            String name = relaxed(p.path("name").asText());
            names.add(name);
            if (p.path("type").asText().startsWith("java.util.Map")) {
                mapPrefixes.add(name + ".");
            }
        }
    }

    boolean accepts(String property) {
        String p = relaxed(property);
        return names.contains(p) || mapPrefixes.stream().anyMatch(p::startsWith);
    }

    int size() {
        return names.size();
    }

    /** Spring's relaxed binding: case, dashes and underscores do not matter. */
    static String relaxed(String name) {
        return name.toLowerCase(Locale.ROOT).replace("-", "").replace("_", "");
    }
}
