package io.streamlake.clickhouse.embedded.server;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * Downcall handles for the part of libchdb's C API (chdb.h of chDB 26.7) that the server uses.
 * Only binary-safe {@code _n} variants are bound: query text and insert data may hold any byte.
 * <p>
 * The library is process-wide state: load it once, before the first connection, and never unload it.
 */
public final class ChdbLibrary {

    /** chdb_state: CHDBSuccess. */
    static final int CHDB_SUCCESS = 0;

    /** sizeof(chdb_query_analysis_v1): four uint32 fields. */
    static final long QUERY_ANALYSIS_V1_SIZE = 16;

    private static volatile ChdbLibrary loaded;

    final MethodHandle version;
    final MethodHandle setSignalHandlersEnabled;
    final MethodHandle connect;
    final MethodHandle closeConn;
    final MethodHandle queryN;
    final MethodHandle queryWithParamsN;
    final MethodHandle classifyQueryN;
    final MethodHandle destroyQueryResult;
    final MethodHandle resultBuffer;
    final MethodHandle resultLength;
    final MethodHandle resultElapsed;
    final MethodHandle resultRowsRead;
    final MethodHandle resultBytesRead;
    final MethodHandle resultStorageRowsRead;
    final MethodHandle resultStorageBytesRead;
    final MethodHandle resultRowsWritten;
    final MethodHandle resultBytesWritten;
    final MethodHandle resultError;
    final MethodHandle streamInsertN;
    final MethodHandle streamInsertWithParamsN;
    final MethodHandle streamAppend;
    final MethodHandle streamDone;
    final MethodHandle streamCancelInsert;
    final MethodHandle streamInsertError;
    final MethodHandle destroyInsertStream;

    private ChdbLibrary(SymbolLookup lookup) {
        Linker linker = Linker.nativeLinker();
        Binder b = new Binder(linker, lookup);
        version = b.bind("chdb_version", FunctionDescriptor.of(ADDRESS));
        setSignalHandlersEnabled = b.bind("chdb_set_signal_handlers_enabled", FunctionDescriptor.ofVoid(JAVA_INT));
        connect = b.bind("chdb_connect", FunctionDescriptor.of(ADDRESS, JAVA_INT, ADDRESS));
        closeConn = b.bind("chdb_close_conn", FunctionDescriptor.ofVoid(ADDRESS));
        queryN = b.bind("chdb_query_n",
                FunctionDescriptor.of(ADDRESS, ADDRESS, ADDRESS, JAVA_LONG, ADDRESS, JAVA_LONG));
        queryWithParamsN = b.bind("chdb_query_with_params_n",
                FunctionDescriptor.of(ADDRESS, ADDRESS, ADDRESS, JAVA_LONG, ADDRESS, JAVA_LONG,
                        ADDRESS, ADDRESS, ADDRESS, ADDRESS, JAVA_LONG));
        classifyQueryN = b.bind("chdb_classify_query_n",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_LONG, ADDRESS, JAVA_LONG, ADDRESS));
        destroyQueryResult = b.bind("chdb_destroy_query_result", FunctionDescriptor.ofVoid(ADDRESS));
        resultBuffer = b.bind("chdb_result_buffer", FunctionDescriptor.of(ADDRESS, ADDRESS));
        resultLength = b.bind("chdb_result_length", FunctionDescriptor.of(JAVA_LONG, ADDRESS));
        resultElapsed = b.bind("chdb_result_elapsed", FunctionDescriptor.of(JAVA_DOUBLE, ADDRESS));
        resultRowsRead = b.bind("chdb_result_rows_read", FunctionDescriptor.of(JAVA_LONG, ADDRESS));
        resultBytesRead = b.bind("chdb_result_bytes_read", FunctionDescriptor.of(JAVA_LONG, ADDRESS));
        resultStorageRowsRead = b.bind("chdb_result_storage_rows_read", FunctionDescriptor.of(JAVA_LONG, ADDRESS));
        resultStorageBytesRead = b.bind("chdb_result_storage_bytes_read", FunctionDescriptor.of(JAVA_LONG, ADDRESS));
        resultRowsWritten = b.bind("chdb_result_rows_written", FunctionDescriptor.of(JAVA_LONG, ADDRESS));
        resultBytesWritten = b.bind("chdb_result_bytes_written", FunctionDescriptor.of(JAVA_LONG, ADDRESS));
        resultError = b.bind("chdb_result_error", FunctionDescriptor.of(ADDRESS, ADDRESS));
        streamInsertN = b.bind("chdb_stream_insert_n",
                FunctionDescriptor.of(ADDRESS, ADDRESS, ADDRESS, JAVA_LONG, ADDRESS, JAVA_LONG));
        streamInsertWithParamsN = b.bind("chdb_stream_insert_with_params_n",
                FunctionDescriptor.of(ADDRESS, ADDRESS, ADDRESS, JAVA_LONG, ADDRESS, JAVA_LONG,
                        ADDRESS, ADDRESS, ADDRESS, ADDRESS, JAVA_LONG));
        streamAppend = b.bind("chdb_stream_append", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_LONG));
        streamDone = b.bind("chdb_stream_done", FunctionDescriptor.of(ADDRESS, ADDRESS));
        streamCancelInsert = b.bind("chdb_stream_cancel_insert", FunctionDescriptor.ofVoid(ADDRESS));
        streamInsertError = b.bind("chdb_stream_insert_error", FunctionDescriptor.of(ADDRESS, ADDRESS));
        destroyInsertStream = b.bind("chdb_destroy_insert_stream", FunctionDescriptor.ofVoid(ADDRESS));
    }

    /**
     * Loads libchdb once per process and turns chDB's signal handlers off, so the JVM keeps its own
     * (the JVM relies on SIGSEGV/SIGBUS handling for implicit null checks and safepoints).
     */
    public static synchronized ChdbLibrary load(Path libraryFile) {
        if (loaded != null) {
            return loaded;
        }
        if (!Files.isRegularFile(libraryFile)) {
            throw new IllegalStateException("libchdb not found at " + libraryFile
                    + " (bin/fetch-chdb downloads it into .cache/chdb)");
        }
        ChdbLibrary library = new ChdbLibrary(SymbolLookup.libraryLookup(libraryFile, Arena.global()));
        try {
            library.setSignalHandlersEnabled.invokeExact(0);
        } catch (Throwable t) {
            throw new IllegalStateException("chdb_set_signal_handlers_enabled failed", t);
        }
        loaded = library;
        return library;
    }

    /** The engine's own version string, e.g. {@code 26.7.3}. */
    public String engineVersion() {
        try {
            MemorySegment p = (MemorySegment) version.invokeExact();
            return cString(p);
        } catch (Throwable t) {
            throw new IllegalStateException("chdb_version failed", t);
        }
    }

    static String cString(MemorySegment pointer) {
        if (pointer == null || pointer.equals(MemorySegment.NULL)) {
            return null;
        }
        return pointer.reinterpret(Long.MAX_VALUE).getString(0);
    }

    private record Binder(Linker linker, SymbolLookup lookup) {
        MethodHandle bind(String name, FunctionDescriptor descriptor) {
            MemorySegment symbol = lookup.find(name)
                    .orElseThrow(() -> new IllegalStateException("libchdb has no symbol " + name
                            + "; chDB 26.7 is required"));
            return linker.downcallHandle(symbol, descriptor);
        }
    }
}
