package io.streamlake.core.contract;

import io.streamlake.common.json.Json;

import com.fasterxml.jackson.databind.JsonNode;
import io.streamlake.core.event.InvalidEventException;
import io.streamlake.core.event.RejectionReason;
import org.apache.avro.Schema;
import org.apache.avro.SchemaParseException;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Where an app finds its contract by subject and version: the schema registry (Spring Cloud Stream's, the
 * {@code serving/schema-registry} module), a directory of {@code <subject>.avsc} files, or the classpath's
 * {@code contracts/} (the shipped contracts; tests and simple deployments need nothing else).
 */
public abstract class ContractRepository {

    /** Version 0 asks for the latest. */
    public static final int LATEST = 0;

    /** What a contentType header stands for: a writer schema, or {@link #NOT_AVRO} (ContractWire's cache). */
    final Map<String, Object> contentTypes = new ConcurrentHashMap<>();
    static final Object NOT_AVRO = new Object();

    /** Remembers what a contentType stands for; a topic has few, so a flood of distinct ones is not kept. */
    void remember(String contentType, Object meaning) {
        if (contentTypes.size() < 1024) {
            contentTypes.put(contentType, meaning);
        }
    }

    /**
     * The repository a location names: empty or {@code classpath:} for the shipped contracts, an {@code http(s)://}
     * URL for a schema registry, anything else a directory.
     */
    public static ContractRepository at(String location) {
        if (location == null || location.isBlank() || location.strip().equals("classpath:")) {
            return new Classpath();
        }
        String l = location.strip();
        if (l.startsWith("http://") || l.startsWith("https://")) {
            return new Registry(URI.create(l.endsWith("/") ? l : l + "/"));
        }
        return new Directory(Path.of(l.startsWith("file:") ? l.substring("file:".length()) : l));
    }

    /** The contract of that subject and version ({@link #LATEST} for the newest); a {@link ContractException} if none. */
    public abstract Contract get(String subject, int version);

    /** Where the contracts come from, for logs and errors. */
    public abstract String describe();

    /**
     * The schema a record says it was written with, by subject and version. Files and the classpath hold one version
     * per subject, which stands for every version (simple deployments whose producers share the files).
     *
     * @throws InvalidEventException          ({@code UNKNOWN_SCHEMA}) when there is no such schema
     * @throws RegistryUnavailableException when the registry cannot answer now
     */
    public Schema writerSchema(String subject, int version) {
        try {
            return get(subject, version).schema();
        } catch (RegistryUnavailableException e) {
            throw e;
        } catch (ContractException e) {
            throw new InvalidEventException(RejectionReason.UNKNOWN_SCHEMA, null, e.getMessage(), e);
        }
    }

    /** The schema of a registry id (Confluent's framing carries one); only a registry has ids. */
    public Schema writerSchema(int id) {
        throw new InvalidEventException(RejectionReason.UNKNOWN_SCHEMA, null, "schema id " + id
                + " needs a schema registry to resolve it, and contracts come from " + describe());
    }

    @Override
    public String toString() {
        return describe();
    }

    /** A registry's 404. */
    static final class NotFound extends ContractException {
        NotFound(String message) {
            super(message);
        }
    }

    /** The shipped contracts, {@code contracts/<subject>.avsc} on the classpath (each read once). */
    static final class Classpath extends ContractRepository {
        private final Map<String, Contract> read = new ConcurrentHashMap<>();

        @Override
        public Contract get(String subject, int version) {
            return read.computeIfAbsent(subject, this::load);
        }

        private Contract load(String subject) {
            String resource = "contracts/" + subject + ".avsc";
            try (InputStream in = ContractRepository.class.getClassLoader().getResourceAsStream(resource)) {
                if (in == null) {
                    throw new ContractException("no contract '" + subject + "' in " + describe());
                }
                return ContractParser.parse(subject, new String(in.readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public String describe() {
            return "the classpath (contracts/*.avsc)";
        }
    }

    /** {@code <subject>.avsc} files in a directory: one version each. */
    static final class Directory extends ContractRepository {
        private final Path dir;
        /** Writer schemas by subject: a record names its schema on every read, the file is read once. */
        private final Map<String, Schema> writers = new ConcurrentHashMap<>();

        @Override
        public Schema writerSchema(String subject, int version) {
            return writers.computeIfAbsent(subject, s -> super.writerSchema(s, version));
        }

        Directory(Path dir) {
            this.dir = dir;
        }

        @Override
        public Contract get(String subject, int version) {
            Path file = dir.resolve(subject + ".avsc");
            if (!Files.isRegularFile(file)) {
                throw new ContractException("no contract '" + subject + "' in " + describe() + " (looked for " + file + ")");
            }
            try {
                return ContractParser.parse(subject, Files.readString(file));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public String describe() {
            return "the directory " + dir.toAbsolutePath();
        }
    }

    /** A Spring Cloud Stream schema registry: {@code GET /{subject}/avro[/v{version}]}. */
    static final class Registry extends ContractRepository {
        private final URI endpoint;
        private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        /** Registered schemas never change: each is fetched once. */
        private final Map<Integer, Schema> byId = new ConcurrentHashMap<>();
        private final Map<String, Schema> bySubjectVersion = new ConcurrentHashMap<>();

        Registry(URI endpoint) {
            this.endpoint = endpoint;
        }

        @Override
        public Contract get(String subject, int version) {
            JsonNode schema = definition(subject, version);
            return ContractParser.parse(subject, schema.path("version").asInt(), schema.path("id").asInt(),
                    schema.path("definition").asText());
        }

        /** The registry's answer for a subject's version (the latest for {@link #LATEST}). */
        private JsonNode definition(String subject, int version) {
            JsonNode schema;
            if (version == LATEST) {
                JsonNode all = fetch(subject + "/avro");
                schema = null;
                for (JsonNode v : all) {
                    if (schema == null || v.path("version").asInt() > schema.path("version").asInt()) {
                        schema = v;
                    }
                }
                if (schema == null) {
                    throw new ContractException("no versions of '" + subject + "' in " + describe());
                }
            } else {
                schema = fetch(subject + "/avro/v" + version);
            }
            return schema;
        }

        @Override
        public Schema writerSchema(int id) {
            return byId.computeIfAbsent(id, i -> {
                try {
                    return new Schema.Parser().parse(fetch("schemas/" + i).path("definition").asText());
                } catch (NotFound e) {
                    throw new InvalidEventException(RejectionReason.UNKNOWN_SCHEMA, null, "schema id " + i + " is not in "
                            + describe(), e);
                } catch (SchemaParseException e) {
                    throw new InvalidEventException(RejectionReason.UNKNOWN_SCHEMA, null, "schema id " + i + " in "
                            + describe() + " is not Avro: " + e.getMessage(), e);
                }
            });
        }

        @Override
        public Schema writerSchema(String subject, int version) {
            return bySubjectVersion.computeIfAbsent(subject + ":" + version, k -> {
                try {
                    return new Schema.Parser().parse(definition(subject, version).path("definition").asText());
                } catch (NotFound e) {
                    throw new InvalidEventException(RejectionReason.UNKNOWN_SCHEMA, null, subject + " v" + version
                            + " is not in " + describe(), e);
                } catch (SchemaParseException e) {
                    throw new InvalidEventException(RejectionReason.UNKNOWN_SCHEMA, null, subject + " v" + version
                            + " in " + describe() + " is not Avro: " + e.getMessage(), e);
                }
            });
        }

        private JsonNode fetch(String path) {
            URI uri = endpoint.resolve(path);
            HttpResponse<String> response;
            try {
                response = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).GET().build(),
                        HttpResponse.BodyHandlers.ofString());
            } catch (IOException e) {
                throw new RegistryUnavailableException(describe() + " cannot be reached: " + e, e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new RegistryUnavailableException("interrupted while asking " + uri, e);
            }
            if (response.statusCode() == 404) {
                throw new NotFound("no contract at " + uri + " (404)");
            }
            if (response.statusCode() != 200) {
                throw new RegistryUnavailableException(describe() + " answered " + response.statusCode() + " for " + uri, null);
            }
            try {
                return Json.mapper().readTree(response.body());
            } catch (IOException e) {
                throw new RegistryUnavailableException(describe() + " answered " + uri + " with no JSON", e);
            }
        }

        @Override
        public String describe() {
            return "the schema registry at " + endpoint;
        }
    }
}
