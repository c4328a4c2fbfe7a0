package io.streamlake.clickhouse.embedded;

import io.streamlake.process.ServerProcess;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The embedded ClickHouse server as a child process, started and stopped like a server: one data
 * directory, one port on 127.0.0.1, a health check on {@code /ping}.
 * <pre>
 * try (EmbeddedClickHouse ch = EmbeddedClickHouse.builder().dataDir(dir).build().start()) {
 *     String url = ch.jdbcUrl("analytics"); // jdbc:clickhouse://127.0.0.1:PORT/analytics?compress=false
 * }
 * </pre>
 * The server needs Java 22+ (FFM); it runs on this JVM's java unless {@code STREAMLAKE_CLICKHOUSE_JAVA} names another.
 */
public final class EmbeddedClickHouse implements AutoCloseable {

    static final String SERVER_MAIN = "io.streamlake.clickhouse.embedded.server.EmbeddedClickHouseServer";

    private final Path dataDir;
    private final int requestedPort;
    private final Path chdbLibrary;
    private final String javaExecutable;
    private final String serverClasspath;
    private final Duration startupTimeout;
    private final List<String> jvmOptions;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private ServerProcess process;
    private int port;

    private EmbeddedClickHouse(Builder b) {
        this.dataDir = b.dataDir.toAbsolutePath();
        this.requestedPort = b.port;
        this.chdbLibrary = b.chdbLibrary != null ? b.chdbLibrary : ChdbLibraryLocator.locate();
        this.javaExecutable = b.javaExecutable != null ? b.javaExecutable : defaultJava();
        this.serverClasspath = b.serverClasspath != null ? b.serverClasspath : locateServerClasspath();
        this.startupTimeout = b.startupTimeout;
        this.jvmOptions = List.copyOf(b.jvmOptions);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Starts the process and waits until it answers {@code /ping}; fails with the server's own output if it dies. */
    public synchronized EmbeddedClickHouse start() {
        if (isRunning()) {
            return this;
        }
        try {
            Files.createDirectories(dataDir);
            Path workDir = dataDir.resolve("work");
            Files.createDirectories(workDir);
            Files.deleteIfExists(portFile());
            List<String> command = new ArrayList<>();
            command.add(javaExecutable);
            command.add("--enable-native-access=ALL-UNNAMED");
            command.addAll(jvmOptions);
            command.addAll(List.of("-cp", serverClasspath, SERVER_MAIN,
                    "--data-dir", dataDir.toString(),
                    "--port", Integer.toString(port != 0 && requestedPort == 0 ? port : requestedPort),
                    "--chdb-lib", chdbLibrary.toString()));
            process = ServerProcess.start("embedded ClickHouse", command, workDir, logFile())
                    .awaitReady(this::portFileAnswers, startupTimeout);
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The server writes its port file once it listens; then it must answer /ping. */
    private boolean portFileAnswers() {
        try {
            if (!Files.isRegularFile(portFile())) {
                return false;
            }
            port = Integer.parseInt(Files.readString(portFile()).strip());
            return ping();
        } catch (IOException | NumberFormatException beingWritten) {
            return false;
        }
    }

    /** True when the server answers {@code GET /ping} with {@code Ok.}. */
    public boolean ping() {
        if (port == 0) {
            return false;
        }
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(httpUrl() + "/ping"))
                    .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 && r.body().startsWith("Ok.");
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Graceful stop (SIGTERM): the engine closes its connections and releases the data dir. */
    public synchronized void stop() {
        if (process != null) {
            process.stop(Duration.ofSeconds(30));
            process = null;
        }
    }

    /** Hard kill (SIGKILL, as {@code kill -9}): what a crash or an OOM killer does. */
    public synchronized void kill() {
        if (process != null) {
            process.kill();
            process = null;
        }
    }

    /** Stops (or kills) and starts again on the same data directory and, when it was chosen freely, the same port. */
    public synchronized EmbeddedClickHouse restart() {
        stop();
        return start();
    }

    public boolean isRunning() {
        return process != null && process.isAlive();
    }

    public long pid() {
        return process == null ? -1 : process.pid();
    }

    public int port() {
        return port;
    }

    public Path dataDir() {
        return dataDir;
    }

    public Path logFile() {
        return dataDir.resolve("server.log");
    }

    public String httpUrl() {
        return "http://127.0.0.1:" + port;
    }

    /** A clickhouse-jdbc URL for a database; {@code compress=false} because the server sends plain bodies. */
    public String jdbcUrl(String database) {
        return "jdbc:clickhouse://127.0.0.1:" + port + "/" + database + "?compress=false";
    }

    /** Runs one statement over plain HTTP and returns the TabSeparated output: handy for test setup. */
    public String query(String sql) {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(httpUrl() + "/"))
                            .timeout(Duration.ofMinutes(5))
                            .POST(HttpRequest.BodyPublishers.ofString(sql, StandardCharsets.UTF_8)).build(),
                    HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            if (r.statusCode() != 200) {
                throw new IllegalStateException("ClickHouse answered " + r.statusCode() + ": " + r.body().strip());
            }
            return r.body();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The same statement on a database, e.g. {@code query("analytics", "SELECT count() FROM t")}. */
    public String query(String database, String sql) {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(httpUrl() + "/?database="
                                    + URLEncoder.encode(database, StandardCharsets.UTF_8)))
                            .timeout(Duration.ofMinutes(5))
                            .POST(HttpRequest.BodyPublishers.ofString(sql, StandardCharsets.UTF_8)).build(),
                    HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            if (r.statusCode() != 200) {
                throw new IllegalStateException("ClickHouse answered " + r.statusCode() + ": " + r.body().strip());
            }
            return r.body();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        stop();
    }

    private Path portFile() {
        return dataDir.resolve("server.port");
    }

    private static String defaultJava() {
        String configured = System.getenv("STREAMLAKE_CLICKHOUSE_JAVA");
        if (configured != null && !configured.isBlank()) {
            return configured;
        }
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** Where the server's classes are: its jar, or target/classes inside a reactor build. */
    static String locateServerClasspath() {
        String resource = SERVER_MAIN.replace('.', '/') + ".class";
        URL url = EmbeddedClickHouse.class.getClassLoader().getResource(resource);
        if (url == null) {
            throw new IllegalStateException("embedded-clickhouse-server is not on the classpath ("
                    + resource + "); add io.streamlake:embedded-clickhouse-server as a runtime dependency");
        }
        try {
            if ("jar".equals(url.getProtocol())) {
                String file = url.getPath().substring(0, url.getPath().indexOf("!/"));
                return Path.of(new URI(file)).toString();
            }
            Path classFile = Path.of(url.toURI());
            Path root = classFile;
            for (int i = 0; i < SERVER_MAIN.split("\\.").length; i++) {
                root = root.getParent();
            }
            return root.toString();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Options for {@link EmbeddedClickHouse}. */
    public static final class Builder {
        private Path dataDir;
        private int port;
        private Path chdbLibrary;
        private String javaExecutable;
        private String serverClasspath;
        private Duration startupTimeout = Duration.ofSeconds(90);
        private final List<String> jvmOptions = new ArrayList<>(List.of("-Xmx1g"));

        /** Required: the data directory (one server process per directory). */
        public Builder dataDir(Path dataDir) {
            this.dataDir = dataDir;
            return this;
        }

        /** 0 (the default) picks a free port; a restart keeps the port it got. */
        public Builder port(int port) {
            this.port = port;
            return this;
        }

        public Builder chdbLibrary(Path chdbLibrary) {
            this.chdbLibrary = chdbLibrary;
            return this;
        }

        public Builder javaExecutable(String javaExecutable) {
            this.javaExecutable = javaExecutable;
            return this;
        }

        public Builder serverClasspath(String serverClasspath) {
            this.serverClasspath = serverClasspath;
            return this;
        }

        public Builder startupTimeout(Duration startupTimeout) {
            this.startupTimeout = startupTimeout;
            return this;
        }

        public Builder jvmOption(String option) {
            this.jvmOptions.add(option);
            return this;
        }

        public EmbeddedClickHouse build() {
            if (dataDir == null) {
                throw new IllegalArgumentException("dataDir is required");
            }
            return new EmbeddedClickHouse(this);
        }
    }
}
