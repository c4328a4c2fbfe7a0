package io.streamlake.testsupport;

import io.streamlake.clickhouse.embedded.ProjectRoot;
import io.streamlake.process.ServerProcess;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * A stream or task app run the way SCDF's local deployer runs it: {@code java -jar app.jar} in its own JVM,
 * with nothing but command-line arguments (bindings, destinations, properties) and a server port, ready once
 * {@code /actuator/health} says UP. {@code STREAMLAKE_APP_JVM_OPTIONS} adds JVM options (e.g. a JFR recording).
 */
public final class StreamAppProcess implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final String name;
    private final ServerProcess process;
    private final int port;

    private StreamAppProcess(String name, ServerProcess process, int port) {
        this.name = name;
        this.process = process;
        this.port = port;
    }

    /** The executable jar a module built, e.g. {@code appJar("processors/event-validator", "event-validator")}. */
    public static Path appJar(String moduleDirectory, String artifactId) {
        Path target = ProjectRoot.find().orElseThrow(() -> new IllegalStateException("project root not found"))
                .resolve(moduleDirectory).resolve("target");
        try (Stream<Path> files = Files.list(target)) {
            return files.filter(p -> p.getFileName().toString().matches(artifactId + "-\\d[^/]*(?<!-metadata)\\.jar"))
                    .findFirst().orElseThrow(() -> new IllegalStateException("no " + artifactId + " jar in " + target
                            + "; build it first (./mvnw package)"));
        } catch (IOException e) {
            throw new UncheckedIOException("no " + target + "; build " + moduleDirectory + " first", e);
        }
    }

    /** Starts the jar with {@code arguments} (SCDF style: {@code --spring.cloud.stream.bindings.input.destination=...}). */
    public static StreamAppProcess start(String name, Path jar, Path logDirectory, List<String> arguments) {
        return start(name, jar, logDirectory, arguments, ServerProcess.freeLoopbackPort());
    }

    /** Starts the jar on a given HTTP port (a server restarted where its clients look for it). */
    public static StreamAppProcess start(String name, Path jar, Path logDirectory, List<String> arguments, int port) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx320m"));
        String extra = System.getenv("STREAMLAKE_APP_JVM_OPTIONS"); // e.g. a JFR recording while profiling
        if (extra != null && !extra.isBlank()) {
            command.addAll(List.of(extra.strip().split("\\s+")));
        }
        command.addAll(List.of("-jar", jar.toString(), "--server.port=" + port));
        command.addAll(arguments);
        try {
            Files.createDirectories(logDirectory);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ServerProcess process = ServerProcess.start(name, command, logDirectory, logDirectory.resolve(name + ".log"));
        return new StreamAppProcess(name, process, port);
    }

    /** Waits until the app reports UP. */
    public StreamAppProcess awaitHealthy(Duration timeout) {
        process.awaitReady(this::healthy, timeout);
        return this;
    }

    public boolean healthy() {
        try {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/health"))
                    .timeout(Duration.ofSeconds(3)).build(), HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 && r.body().contains("\"UP\"");
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** GET an actuator path, e.g. {@code actuator("prometheus")}. */
    public String actuator(String path) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/" + path))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString()).body();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The app's HTTP port. */
    public int port() {
        return port;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public String logTail(int lines) {
        return process.logTail(lines);
    }

    public String name() {
        return name;
    }

    @Override
    public void close() {
        process.stop(Duration.ofSeconds(20));
    }

    /** The arguments every app of a test's stream gets, followed by one app's own. */
    public static List<String> args(List<String> common, String... specific) {
        List<String> all = new ArrayList<>(common);
        all.addAll(List.of(specific));
        return all;
    }

    /** Prints the last {@code lines} of each app's log to stderr: what a failed end-to-end test needs to be read. */
    public static void printLogTails(List<StreamAppProcess> apps, int lines) {
        for (StreamAppProcess app : apps) {
            System.err.println("---- " + app.name() + " ----\n" + app.logTail(lines));
        }
    }

}
