package io.streamlake.clickhouse.embedded.server;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

/** A streaming INSERT (chdb_insert_stream): data is appended in chunks, then committed with {@link #done()}. */
public final class InsertStream implements AutoCloseable {

    private static final int NATIVE_CHUNK = 4 << 20;

    private final ChdbLibrary lib;
    private MemorySegment handle;
    private final Arena arena = Arena.ofConfined();
    private MemorySegment chunk;

    InsertStream(ChdbLibrary lib, MemorySegment handle) {
        this.lib = lib;
        this.handle = handle;
    }

    /** The reason the stream failed (at init or on an append), or null. */
    public String error() {
        try {
            String error = ChdbLibrary.cString((MemorySegment) lib.streamInsertError.invokeExact(handle));
            return error == null || error.isEmpty() ? null : error;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** Hands bytes to the engine, which parses them in the stream's input format; false once the stream failed. */
    public boolean append(byte[] data, int offset, int length) {
        if (chunk == null) {
            chunk = arena.allocate(NATIVE_CHUNK);
        }
        try {
            while (length > 0) {
                int n = Math.min(length, NATIVE_CHUNK);
                MemorySegment.copy(data, offset, chunk, JAVA_BYTE, 0, n);
                int state = (int) lib.streamAppend.invokeExact(handle, chunk, (long) n);
                if (state != ChdbLibrary.CHDB_SUCCESS) {
                    return false;
                }
                offset += n;
                length -= n;
            }
            return true;
        } catch (Throwable t) {
            throw new IllegalStateException("chdb_stream_append failed", t);
        }
    }

    /** Ends the input and commits; the result carries rows written or the error. */
    public ChdbResult done() {
        try {
            return new ChdbResult(lib, (MemorySegment) lib.streamDone.invokeExact(handle));
        } catch (Throwable t) {
            throw new IllegalStateException("chdb_stream_done failed", t);
        }
    }

    @Override
    public void close() {
        if (handle != null) {
            try {
                lib.destroyInsertStream.invokeExact(handle);
            } catch (Throwable t) {
                throw new IllegalStateException("chdb_destroy_insert_stream failed", t);
            } finally {
                handle = null;
                arena.close();
            }
        }
    }
}
