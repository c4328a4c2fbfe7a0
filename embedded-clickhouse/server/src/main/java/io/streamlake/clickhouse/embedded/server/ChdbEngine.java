package io.streamlake.clickhouse.embedded.server;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.regex.Pattern;

/**
 * The engine of one data directory: a fixed pool of chDB connections on the same {@code --path}.
 * A connection runs one statement at a time, so each request takes one {@link Session} exclusively;
 * the session re-applies the request's database and settings, because chDB keeps both per connection.
 */
public final class ChdbEngine implements AutoCloseable {

    private static final Pattern SETTING_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_.]*");

    private final ChdbLibrary lib;
    private final List<String> connectArguments;
    private final BlockingQueue<Session> idle;
    private final List<Session> all = new ArrayList<>();
    private final String timezone;
    private final String serverVersion;

    public ChdbEngine(ChdbLibrary lib, Path enginePath, int connections) {
        this.lib = lib;
        this.connectArguments = List.of("--path=" + enginePath.toAbsolutePath());
        this.idle = new ArrayBlockingQueue<>(connections);
        for (int i = 0; i < connections; i++) {
            Session session = new Session(ChdbConnection.open(lib, connectArguments));
            all.add(session);
            idle.add(session);
        }
        Session probe = all.get(0);
        try (ChdbResult r = probe.connection.query("SELECT timezone(), version()".getBytes(StandardCharsets.UTF_8),
                "TabSeparated", Map.of())) {
            if (r.error() != null) {
                throw new ChdbException(r.error());
            }
            String[] row = new String(r.bytes(), StandardCharsets.UTF_8).strip().split("\t");
            this.timezone = row[0];
            this.serverVersion = row[1];
        }
    }

    public String timezone() {
        return timezone;
    }

    public String serverVersion() {
        return serverVersion;
    }

    public String libraryVersion() {
        return lib.engineVersion();
    }

    /** Waits for a free connection; pair every call with {@link #release(Session)}. */
    public Session acquire() throws InterruptedException {
        return idle.take();
    }

    public void release(Session session) {
        idle.add(session);
    }

    /** Opens a database in the engine once, at startup (e.g. the server's default database). */
    public void ensureDatabase(String database) throws InterruptedException {
        Session session = acquire();
        try {
            session.connection.execute("CREATE DATABASE IF NOT EXISTS " + quoteIdentifier(database));
        } finally {
            release(session);
        }
    }

    /**
     * Waits up to {@code timeoutMillis} for running statements to finish, then closes every connection;
     * closing the last one shuts the engine down. A connection still busy after the timeout is left to
     * process exit: closing it under a running statement could crash the process mid-write.
     */
    public void close(long timeoutMillis) {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        List<Session> closable = new ArrayList<>();
        for (int i = 0; i < all.size(); i++) {
            try {
                Session session = idle.poll(Math.max(0, deadline - System.currentTimeMillis()),
                        java.util.concurrent.TimeUnit.MILLISECONDS);
                if (session == null) {
                    break;
                }
                closable.add(session);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        for (Session session : closable) {
            session.connection.close();
        }
        all.clear();
    }

    @Override
    public void close() {
        close(30_000);
    }

    static String quoteIdentifier(String name) {
        return "`" + name.replace("\\", "\\\\").replace("`", "\\`") + "`";
    }

    static String quoteLiteral(String value) {
        return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }

    /** One pooled connection and the database and settings currently applied to it. */
    public final class Session {
        private ChdbConnection connection;
        private String currentDatabase;
        private final Map<String, String> appliedSettings = new HashMap<>();
        private boolean stateUnknown;

        private Session(ChdbConnection connection) {
            this.connection = connection;
        }

        public ChdbConnection connection() {
            return connection;
        }

        /** Makes this connection's current database and settings exactly the request's. */
        public void prepare(String database, Map<String, String> settings) {
            if (stateUnknown) {
                reconnect();
            }
            for (String name : List.copyOf(appliedSettings.keySet())) {
                if (!settings.containsKey(name)) {
                    connection.execute("SET " + name + " = DEFAULT");
                    appliedSettings.remove(name);
                }
            }
            for (Map.Entry<String, String> setting : settings.entrySet()) {
                String name = setting.getKey();
                if (!SETTING_NAME.matcher(name).matches()) {
                    throw new ChdbException(115, "Code: 115. DB::Exception: Setting name is not an identifier: '"
                            + name + "'. (UNKNOWN_SETTING)");
                }
                if (!setting.getValue().equals(appliedSettings.get(name))) {
                    connection.execute("SET " + name + " = " + quoteLiteral(setting.getValue()));
                    appliedSettings.put(name, setting.getValue());
                }
            }
            if (!database.equals(currentDatabase)) {
                connection.execute("USE " + quoteIdentifier(database));
                currentDatabase = database;
            }
        }

        /**
         * A statement such as SET or USE changed the connection behind our back: start the next request
         * on a fresh connection instead of guessing what it changed.
         */
        public void forgetState() {
            stateUnknown = true;
        }

        private void reconnect() {
            // Open before closing: the engine shuts down when its last connection closes.
            ChdbConnection fresh = ChdbConnection.open(lib, connectArguments);
            connection.close();
            connection = fresh;
            currentDatabase = null;
            appliedSettings.clear();
            stateUnknown = false;
        }
    }
}
