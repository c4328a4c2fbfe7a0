package io.streamlake.clickhouse.embedded.server;

import java.nio.file.Path;

/** Command-line options of {@link EmbeddedClickHouseServer}. */
public record ServerOptions(Path dataDir, int port, Path chdbLibrary, String database, int connections,
                            long maxStatementBytes, boolean allowNonEmptyWorkingDirectory) {

    public static final String USAGE = """
            usage: embedded-clickhouse --data-dir DIR [options]
              --data-dir DIR         where the engine keeps its data (required)
              --port N               HTTP port on 127.0.0.1 (default 8123; 0 picks a free one)
              --chdb-lib PATH        libchdb.so (default: $STREAMLAKE_CHDB_LIB)
              --database NAME        database for requests that name none, created at start (default:
                                     streamlake; chDB's own 'default' maps working-directory files)
              --connections N        engine connections, i.e. statements run at once (default 4)
              --max-statement-bytes N  largest statement read into memory; INSERT data sent after a
                                     query URL parameter is streamed and not limited (default 1073741824)
              --allow-non-empty-working-directory   skip the empty working directory check""";

    public static ServerOptions parse(String[] args) {
        Path dataDir = null;
        int port = 8123;
        String lib = System.getenv("STREAMLAKE_CHDB_LIB");
        String database = "streamlake";
        int connections = 4;
        long maxStatementBytes = 1L << 30;
        boolean allowNonEmpty = false;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            switch (arg) {
                case "--data-dir" -> dataDir = Path.of(value(args, ++i, arg));
                case "--port" -> port = Integer.parseInt(value(args, ++i, arg));
                case "--chdb-lib" -> lib = value(args, ++i, arg);
                case "--database" -> database = value(args, ++i, arg);
                case "--connections" -> connections = Integer.parseInt(value(args, ++i, arg));
                case "--max-statement-bytes" -> maxStatementBytes = Long.parseLong(value(args, ++i, arg));
                case "--allow-non-empty-working-directory" -> allowNonEmpty = true;
                default -> throw new IllegalArgumentException("unknown argument " + arg);
            }
        }
        if (dataDir == null) {
            throw new IllegalArgumentException("--data-dir is required");
        }
        if (lib == null || lib.isBlank()) {
            throw new IllegalArgumentException("--chdb-lib is required (or set STREAMLAKE_CHDB_LIB)");
        }
        if (port < 0 || port > 65535 || connections < 1) {
            throw new IllegalArgumentException("--port must be 0..65535 and --connections at least 1");
        }
        return new ServerOptions(dataDir, port, Path.of(lib), database, connections, maxStatementBytes, allowNonEmpty);
    }

    private static String value(String[] args, int i, String name) {
        if (i >= args.length) {
            throw new IllegalArgumentException(name + " needs a value");
        }
        return args[i];
    }
}
