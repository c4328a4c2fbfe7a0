package io.streamlake.core.contract;

import io.streamlake.common.json.Json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

/**
 * {@code bin/contracts}: validates, registers, lists and diffs contracts against the schema registry. A new version of
 * a subject is registered only when Avro's own compatibility check finds it readable both ways with the latest one
 * (consumers on version N read records of N-1 and N+1: a field added or removed needs a default, a type may only be
 * widened as Avro promotes it); {@code --force} registers an incompatible version anyway.
 */
public final class ContractsCommand {

    static final String USAGE = """
            usage: bin/contracts [--registry URL] <command> ...
              validate <file.avsc>...                 check contracts (Avro and their streamlake rules)
              register <file.avsc> [--subject S] [--force]
                                                      register a new version if compatible with the latest
              list [subject...]                       versions in the registry (default: the shipped contracts' subjects)
              diff <file.avsc> [--subject S] [--version N]
                                                      fields and rules changed against a registered version
            The subject is the file name without .avsc unless --subject says otherwise. The registry defaults to
            $STREAMLAKE_SCHEMA_REGISTRY or http://127.0.0.1:8990.""";

    /** The subjects of the contracts the apps ship with. */
    static final List<String> SHIPPED = List.of("casino-activity", "orders", "user-interaction", "user-profile", "weather-reading");

    private final URI registry;
    private final PrintStream out;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    public ContractsCommand(URI registry, PrintStream out) {
        this.registry = URI.create(registry.toString().endsWith("/") ? registry.toString() : registry + "/");
        this.out = out;
    }

    public static void main(String[] args) {
        List<String> a = new ArrayList<>(List.of(args));
        String registry = option(a, "--registry");
        if (registry == null) {
            registry = Objects.requireNonNullElse(System.getenv("STREAMLAKE_SCHEMA_REGISTRY"), "http://127.0.0.1:8990");
        }
        try {
            System.exit(new ContractsCommand(URI.create(registry), System.out).run(a));
        } catch (ContractException | IOException | IllegalArgumentException e) {
            System.err.println("contracts: " + e.getMessage());
            System.exit(2);
        }
    }

    /** Runs one command; returns the exit status (0 done, 1 refused or invalid). */
    public int run(List<String> args) throws IOException {
        List<String> a = new ArrayList<>(args);
        if (a.isEmpty()) {
            throw new IllegalArgumentException(USAGE);
        }
        String command = a.remove(0);
        return switch (command) {
            case "validate" -> validate(a);
            case "register" -> register(a);
            case "list" -> list(a);
            case "diff" -> diff(a);
            default -> throw new IllegalArgumentException("unknown command " + command + "\n" + USAGE);
        };
    }

    private int validate(List<String> files) throws IOException {
        if (files.isEmpty()) {
            throw new IllegalArgumentException(USAGE);
        }
        int invalid = 0;
        for (String file : files) {
            try {
                Contract c = read(Path.of(file), null);
                out.println("valid: " + file + " (" + c.subject() + ", " + c.fields().size() + " fields, " + c.rules().size()
                        + " rules)");
            } catch (ContractException e) {
                out.println("INVALID: " + file + ": " + e.getMessage());
                invalid++;
            }
        }
        return invalid == 0 ? 0 : 1;
    }

    private int register(List<String> a) throws IOException {
        boolean force = a.remove("--force");
        String subject = option(a, "--subject");
        Path file = Path.of(single(a));
        Contract contract = read(file, subject);
        JsonNode latest = latest(contract.subject());
        if (latest != null) {
            List<String> problems = incompatibilities(new Schema.Parser().parse(latest.path("definition").asText()), contract.schema());
            if (!problems.isEmpty()) {
                out.println((force ? "registering anyway (--force): " : "REFUSED: ") + contract.subject() + " from " + file
                        + " is not compatible with version " + latest.path("version").asInt() + ":");
                problems.forEach(p -> out.println("  " + p));
                if (!force) {
                    return 1;
                }
            }
        }
        ObjectNode body = Json.mapper().createObjectNode();
        body.put("subject", contract.subject());
        body.put("format", "avro");
        body.put("definition", Files.readString(file));
        HttpResponse<String> response = send(HttpRequest.newBuilder(registry).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())));
        if (response.statusCode() / 100 != 2) {
            out.println("REFUSED by the registry (" + response.statusCode() + "): " + response.body());
            return 1;
        }
        JsonNode stored = Json.mapper().readTree(response.body());
        boolean same = latest != null && stored.path("version").asInt() == latest.path("version").asInt();
        out.println((same ? "unchanged: " : "registered: ") + contract.subject() + " v" + stored.path("version").asInt()
                + " (schema id " + stored.path("id").asInt() + ")");
        return 0;
    }

    private int list(List<String> subjects) throws IOException {
        for (String subject : subjects.isEmpty() ? SHIPPED : subjects) {
            JsonNode versions = versions(subject);
            if (versions == null || versions.isEmpty()) {
                out.println(subject + ": not registered");
                continue;
            }
            for (JsonNode v : versions) {
                Schema s = new Schema.Parser().parse(v.path("definition").asText());
                out.println(subject + " v" + v.path("version").asInt() + " (schema id " + v.path("id").asInt() + "): "
                        + s.getFields().size() + " fields");
            }
        }
        return 0;
    }

    private int diff(List<String> a) throws IOException {
        String subject = option(a, "--subject");
        String version = option(a, "--version");
        Path file = Path.of(single(a));
        Contract local = read(file, subject);
        JsonNode registered = version == null ? latest(local.subject()) : get(local.subject() + "/avro/v" + version);
        if (registered == null) {
            out.println(local.subject() + " is not registered: everything in " + file + " is new");
            return 0;
        }
        Contract old = ContractParser.parse(local.subject(), registered.path("version").asInt(), registered.path("definition").asText());
        List<String> changes = differences(old, local);
        out.println(file + " against " + local.subject() + " v" + old.version() + ": "
                + (changes.isEmpty() ? "no changes" : changes.size() + " change(s)"));
        changes.forEach(c -> out.println("  " + c));
        List<String> problems = incompatibilities(old.schema(), local.schema());
        out.println(problems.isEmpty() ? "compatible both ways (consumers on either version read the other's records)"
                : "NOT compatible:");
        problems.forEach(p -> out.println("  " + p));
        return 0;
    }

    /** What Avro's schema resolution finds wrong in reading each version's records with the other version. */
    public static List<String> incompatibilities(Schema older, Schema newer) {
        List<String> problems = new ArrayList<>();
        describe(SchemaCompatibility.checkReaderWriterCompatibility(newer, older), "the new version cannot read records of the old",
                problems);
        describe(SchemaCompatibility.checkReaderWriterCompatibility(older, newer), "the old version cannot read records of the new",
                problems);
        return problems;
    }

    private static void describe(SchemaCompatibility.SchemaPairCompatibility result, String direction, List<String> problems) {
        if (result.getType() == SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE) {
            return;
        }
        for (SchemaCompatibility.Incompatibility i : result.getResult().getIncompatibilities()) {
            problems.add(direction + ": " + i.getType() + " at " + i.getLocation() + " (" + i.getMessage() + ")");
        }
    }

    /** Fields added, removed or retyped, and rule properties changed. */
    static List<String> differences(Contract old, Contract now) {
        List<String> changes = new ArrayList<>();
        for (Schema.Field f : now.schema().getFields()) {
            Schema.Field before = old.schema().getField(f.name());
            if (before == null) {
                changes.add("+ field " + f.name() + ": " + f.schema() + (f.hasDefaultValue() ? " (default " + f.defaultVal() + ")" : " (no default)"));
            } else {
                if (!before.schema().equals(f.schema())) {
                    changes.add("~ field " + f.name() + ": " + before.schema() + " -> " + f.schema());
                }
                if (!Objects.equals(before.getObjectProp(ContractParser.PROPERTY), f.getObjectProp(ContractParser.PROPERTY))) {
                    changes.add("~ rules of " + f.name() + ": " + before.getObjectProp(ContractParser.PROPERTY) + " -> "
                            + f.getObjectProp(ContractParser.PROPERTY));
                }
            }
        }
        for (Schema.Field f : old.schema().getFields()) {
            if (now.schema().getField(f.name()) == null) {
                changes.add("- field " + f.name() + ": " + f.schema());
            }
        }
        Object before = old.schema().getObjectProp(ContractParser.PROPERTY);
        Object after = now.schema().getObjectProp(ContractParser.PROPERTY);
        if (before instanceof Map<?, ?> b && after instanceof Map<?, ?> n) {
            for (Object key : new TreeSet<>(union(b.keySet(), n.keySet()))) {
                if (!Objects.equals(b.get(key), n.get(key))) {
                    changes.add("~ " + key + ": " + b.get(key) + " -> " + n.get(key));
                }
            }
        } else if (!Objects.equals(before, after)) {
            changes.add("~ record rules: " + before + " -> " + after);
        }
        return changes;
    }

    private static java.util.Set<Object> union(java.util.Set<?> a, java.util.Set<?> b) {
        java.util.Set<Object> all = new java.util.HashSet<>(a);
        all.addAll(b);
        return all.stream().map(String::valueOf).collect(java.util.stream.Collectors.toSet());
    }

    private static Contract read(Path file, String subject) throws IOException {
        String name = file.getFileName().toString();
        String s = subject != null ? subject : name.endsWith(".avsc") ? name.substring(0, name.length() - 5) : name;
        return ContractParser.parse(s, Files.readString(file));
    }

    private JsonNode latest(String subject) throws IOException {
        JsonNode versions = versions(subject);
        JsonNode latest = null;
        if (versions != null) {
            for (JsonNode v : versions) {
                if (latest == null || v.path("version").asInt() > latest.path("version").asInt()) {
                    latest = v;
                }
            }
        }
        return latest;
    }

    private JsonNode versions(String subject) throws IOException {
        return get(subject + "/avro");
    }

    /** The registry's JSON answer, or null for 404. */
    private JsonNode get(String path) throws IOException {
        HttpResponse<String> response = send(HttpRequest.newBuilder(registry.resolve(path)).GET());
        if (response.statusCode() == 404) {
            return null;
        }
        if (response.statusCode() != 200) {
            throw new IOException("the registry answered " + response.statusCode() + " for " + path + ": " + response.body());
        }
        return Json.mapper().readTree(response.body());
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws IOException {
        try {
            return http.send(request.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IOException("the schema registry at " + registry + " cannot be reached (" + e + "); start it with bin/run"
                    + " or give --registry", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    private static String option(List<String> args, String name) {
        int i = args.indexOf(name);
        if (i < 0) {
            return null;
        }
        if (i + 1 >= args.size()) {
            throw new IllegalArgumentException(name + " needs a value");
        }
        args.remove(i);
        return args.remove(i);
    }

    private static String single(List<String> args) {
        if (args.size() != 1) {
            throw new IllegalArgumentException("expected one .avsc file, got " + args + "\n" + USAGE);
        }
        return args.get(0);
    }
}
