package io.streamlake.clickhouse.embedded.server;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * One chDB connection: a session with its own current database and settings. A connection runs one
 * statement at a time, so callers must not share it between threads without holding it exclusively
 * (see {@link ChdbEngine}).
 */
public final class ChdbConnection implements AutoCloseable {

    private final ChdbLibrary lib;
    private MemorySegment connectionPointer;
    private final MemorySegment connection;

    private ChdbConnection(ChdbLibrary lib, MemorySegment connectionPointer) {
        this.lib = lib;
        this.connectionPointer = connectionPointer;
        this.connection = connectionPointer.reinterpret(ADDRESS.byteSize()).get(ADDRESS, 0);
    }

    /**
     * Opens a connection. The first connection of a process boots the engine with the server-level
     * arguments (e.g. {@code --path=DIR}); later ones share that engine and only take query-level settings.
     */
    public static ChdbConnection open(ChdbLibrary lib, List<String> arguments) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment argv = arena.allocate(ADDRESS, arguments.size() + 1L);
            argv.setAtIndex(ADDRESS, 0, arena.allocateFrom("clickhouse"));
            for (int i = 0; i < arguments.size(); i++) {
                argv.setAtIndex(ADDRESS, i + 1, arena.allocateFrom(arguments.get(i)));
            }
            MemorySegment pointer = (MemorySegment) lib.connect.invokeExact(arguments.size() + 1, argv);
            if (pointer.equals(MemorySegment.NULL)) {
                throw new IllegalStateException("chdb_connect failed for arguments " + arguments);
            }
            return new ChdbConnection(lib, pointer);
        } catch (RuntimeException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("chdb_connect failed", t);
        }
    }

    /** Runs one statement; {@code format} is the output format unless the SQL names its own. */
    public ChdbResult query(byte[] sql, String format, Map<String, String> parameters) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment query = bytes(arena, sql);
            MemorySegment fmt = bytes(arena, format.getBytes(StandardCharsets.US_ASCII));
            MemorySegment result;
            if (parameters.isEmpty()) {
                result = (MemorySegment) lib.queryN.invokeExact(connection, query, (long) sql.length, fmt,
                        (long) format.length());
            } else {
                Params p = Params.of(arena, parameters);
                result = (MemorySegment) lib.queryWithParamsN.invokeExact(connection, query, (long) sql.length, fmt,
                        (long) format.length(), p.names, p.nameLengths, p.values, p.valueLengths, p.count);
            }
            return new ChdbResult(lib, result);
        } catch (RuntimeException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("chdb_query_n failed", t);
        }
    }

    /** Runs a statement whose result nobody reads (USE, SET); throws with the engine's text on error. */
    public void execute(String sql) {
        try (ChdbResult result = query(sql.getBytes(StandardCharsets.UTF_8), "TabSeparated", Map.of())) {
            String error = result.error();
            if (error != null) {
                throw new ChdbException(error);
            }
        }
    }

    /** What the engine's own parser says the text is, without running it. */
    public QueryAnalysis classify(byte[] sql) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment analysis = arena.allocate(ChdbLibrary.QUERY_ANALYSIS_V1_SIZE, 4);
            analysis.set(JAVA_INT, 0, (int) ChdbLibrary.QUERY_ANALYSIS_V1_SIZE);
            int state = (int) lib.classifyQueryN.invokeExact(connection, bytes(arena, sql), (long) sql.length,
                    MemorySegment.NULL, 0L, analysis);
            if (state != ChdbLibrary.CHDB_SUCCESS) {
                throw new IllegalStateException("chdb_classify_query_n failed");
            }
            return new QueryAnalysis(analysis.get(JAVA_INT, 4), analysis.get(JAVA_INT, 8),
                    QueryAnalysis.QueryClass.of(analysis.get(JAVA_INT, 12)));
        } catch (RuntimeException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("chdb_classify_query_n failed", t);
        }
    }

    /**
     * Starts a streaming INSERT: {@code insertHeader} is the statement without FORMAT or data, the data
     * goes through {@link InsertStream#append} verbatim (binary-safe, blank lines and NULs included).
     */
    public InsertStream openInsert(byte[] insertHeader, String format, Map<String, String> parameters) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment query = bytes(arena, insertHeader);
            MemorySegment fmt = bytes(arena, format.getBytes(StandardCharsets.US_ASCII));
            MemorySegment stream;
            if (parameters.isEmpty()) {
                stream = (MemorySegment) lib.streamInsertN.invokeExact(connection, query, (long) insertHeader.length,
                        fmt, (long) format.length());
            } else {
                Params p = Params.of(arena, parameters);
                stream = (MemorySegment) lib.streamInsertWithParamsN.invokeExact(connection, query,
                        (long) insertHeader.length, fmt, (long) format.length(), p.names, p.nameLengths, p.values,
                        p.valueLengths, p.count);
            }
            return new InsertStream(lib, stream);
        } catch (RuntimeException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("chdb_stream_insert_n failed", t);
        }
    }

    @Override
    public void close() {
        if (connectionPointer != null) {
            try {
                lib.closeConn.invokeExact(connectionPointer);
            } catch (Throwable t) {
                throw new IllegalStateException("chdb_close_conn failed", t);
            } finally {
                connectionPointer = null;
            }
        }
    }

    private static MemorySegment bytes(Arena arena, byte[] data) {
        MemorySegment segment = arena.allocate(Math.max(1, data.length + 1L));
        MemorySegment.copy(data, 0, segment, JAVA_BYTE, 0, data.length);
        return segment;
    }

    private record Params(MemorySegment names, MemorySegment nameLengths, MemorySegment values,
                          MemorySegment valueLengths, long count) {
        static Params of(Arena arena, Map<String, String> parameters) {
            int n = parameters.size();
            MemorySegment names = arena.allocate(ADDRESS, n);
            MemorySegment nameLengths = arena.allocate(JAVA_LONG, n);
            MemorySegment values = arena.allocate(ADDRESS, n);
            MemorySegment valueLengths = arena.allocate(JAVA_LONG, n);
            int i = 0;
            for (Map.Entry<String, String> e : parameters.entrySet()) {
                byte[] name = e.getKey().getBytes(StandardCharsets.UTF_8);
                byte[] value = e.getValue().getBytes(StandardCharsets.UTF_8);
                names.setAtIndex(ADDRESS, i, bytes(arena, name));
                nameLengths.setAtIndex(JAVA_LONG, i, name.length);
                values.setAtIndex(ADDRESS, i, bytes(arena, value));
                valueLengths.setAtIndex(JAVA_LONG, i, value.length);
                i++;
            }
            return new Params(names, nameLengths, values, valueLengths, n);
        }
    }
}
