package io.streamlake.clickhouse.embedded.server;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Stream;

/**
 * The embedded ClickHouse as a server process: chDB (ClickHouse 26.7) behind ClickHouse's HTTP interface,
 * bound to 127.0.0.1 only.
 * <pre>
 * java --enable-native-access=ALL-UNNAMED -jar embedded-clickhouse-server.jar \
 *      --data-dir DIR [--port 8123] [--chdb-lib PATH] [--database streamlake] [--connections 4]
 * </pre>
 * Data directory layout: {@code engine/} (chDB's --path), {@code server.lock} (one process per data dir),
 * {@code server.port} (the bound port, written once the server answers), {@code server.pid}.
 * The process must run in an empty working directory: chDB's {@code default} database maps the files of
 * the working directory as tables.
 */
public final class EmbeddedClickHouseServer implements AutoCloseable {

    /** Exit code when the data directory is held by another process. */
    public static final int EXIT_DATA_DIR_IN_USE = 3;
    /** Exit code for bad arguments or environment. */
    public static final int EXIT_USAGE = 2;

    private final ServerOptions options;
    private final FileChannel lockChannel;
    private final FileLock lock;
    private final ChdbEngine engine;
    private final HttpServer http;
    private final ExecutorService executor;

    private EmbeddedClickHouseServer(ServerOptions options, FileChannel lockChannel, FileLock lock, ChdbEngine engine,
                                     HttpServer http, ExecutorService executor) {
        this.options = options;
        this.lockChannel = lockChannel;
        this.lock = lock;
        this.engine = engine;
        this.http = http;
        this.executor = executor;
    }

    public static EmbeddedClickHouseServer start(ServerOptions options) throws IOException, InterruptedException {
        Path dataDir = options.dataDir().toAbsolutePath();
        Files.createDirectories(dataDir);
        FileChannel lockChannel = FileChannel.open(dataDir.resolve("server.lock"), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = lockChannel.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null;
        }
        if (lock == null) {
            lockChannel.close();
            throw new DataDirInUseException(dataDir, readQuietly(dataDir.resolve("server.pid")));
        }
        Files.deleteIfExists(dataDir.resolve("server.port"));
        Files.writeString(dataDir.resolve("server.pid"), Long.toString(ProcessHandle.current().pid()));

        ChdbLibrary lib = ChdbLibrary.load(options.chdbLibrary());
        ChdbEngine engine = new ChdbEngine(lib, dataDir.resolve("engine"), options.connections());
        engine.ensureDatabase(options.database());

        // Headers and body leave in separate writes; without TCP_NODELAY the body can wait for the client's ACK.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
        HttpServer http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), options.port()), 128);
        ExecutorService executor = Executors.newFixedThreadPool(Math.max(8, options.connections() * 4));
        String displayName = "streamlake-embedded-clickhouse";
        http.createContext("/", new ClickHouseHttpHandler(engine, options.database(), options.maxStatementBytes(),
                displayName));
        http.setExecutor(executor);
        http.start();
        EmbeddedClickHouseServer server = new EmbeddedClickHouseServer(options, lockChannel, lock, engine, http, executor);
        // Written last: its presence means "answering on this port".
        Path portFile = dataDir.resolve("server.port");
        Path tmp = dataDir.resolve("server.port.tmp");
        Files.writeString(tmp, Integer.toString(server.port()));
        Files.move(tmp, portFile, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        return server;
    }

    public int port() {
        return http.getAddress().getPort();
    }

    public ChdbEngine engine() {
        return engine;
    }

    @Override
    public void close() {
        http.stop(2);
        executor.shutdownNow();
        engine.close();
        try {
            Files.deleteIfExists(options.dataDir().toAbsolutePath().resolve("server.port"));
            lock.release();
            lockChannel.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static void main(String[] args) throws Exception {
        ServerOptions options;
        try {
            options = ServerOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("embedded-clickhouse: " + e.getMessage());
            System.err.println(ServerOptions.USAGE);
            System.exit(EXIT_USAGE);
            return;
        }
        Path workingDir = Path.of("").toAbsolutePath();
        if (!options.allowNonEmptyWorkingDirectory() && !isEmptyDirectory(workingDir)) {
            System.err.println("embedded-clickhouse: the working directory " + workingDir + " is not empty."
                    + " chDB's default database maps the working directory's files as tables, so start the"
                    + " server from an empty directory (bin/embedded-clickhouse and the launcher do).");
            System.exit(EXIT_USAGE);
            return;
        }
        EmbeddedClickHouseServer server;
        try {
            server = start(options);
        } catch (DataDirInUseException e) {
            System.err.println("embedded-clickhouse: " + e.getMessage());
            System.exit(EXIT_DATA_DIR_IN_USE);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(server::close, "embedded-clickhouse-shutdown"));
        System.out.println("embedded-clickhouse: chDB " + server.engine.libraryVersion() + " (ClickHouse "
                + server.engine.serverVersion() + ") listening on http://127.0.0.1:" + server.port()
                + " data dir " + options.dataDir().toAbsolutePath() + " database " + options.database());
        System.out.flush();
        Thread.currentThread().join();
    }

    private static boolean isEmptyDirectory(Path dir) {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.findAny().isEmpty();
        } catch (IOException e) {
            return false;
        }
    }

    private static String readQuietly(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            return "unknown";
        }
    }

    /** Another process holds the data directory's lock. */
    public static final class DataDirInUseException extends IllegalStateException {
        DataDirInUseException(Path dataDir, String pid) {
            super("data directory " + dataDir + " is in use by another embedded ClickHouse process (pid " + pid
                    + "); one process per data directory");
        }
    }
}
