package io.streamlake.clickhouse.embedded.server;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.foreign.MemorySegment;

/**
 * One materialized chDB result (chdb_result*). The bytes stay in native memory and are copied to
 * the client in slices, so a large result never needs a heap array of its size.
 */
public final class ChdbResult implements AutoCloseable {

    private static final int COPY_SLICE = 256 * 1024;

    private final ChdbLibrary lib;
    private MemorySegment handle;

    ChdbResult(ChdbLibrary lib, MemorySegment handle) {
        if (handle == null || handle.equals(MemorySegment.NULL)) {
            throw new IllegalStateException("chDB returned no result handle");
        }
        this.lib = lib;
        this.handle = handle;
    }

    /** The engine's error text, or null when the statement succeeded. */
    public String error() {
        try {
            String error = ChdbLibrary.cString((MemorySegment) lib.resultError.invokeExact(handle));
            return error == null || error.isEmpty() ? null : error;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    public long length() {
        try {
            return (long) lib.resultLength.invokeExact(handle);
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** The result bytes as a native segment, valid until {@link #close()}. */
    public MemorySegment data() {
        long length = length();
        if (length == 0) {
            return MemorySegment.NULL;
        }
        try {
            MemorySegment buffer = (MemorySegment) lib.resultBuffer.invokeExact(handle);
            return buffer.reinterpret(length);
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    public byte[] bytes() {
        long length = length();
        return length == 0 ? new byte[0] : data().toArray(java.lang.foreign.ValueLayout.JAVA_BYTE);
    }

    public void writeTo(OutputStream out) throws IOException {
        long length = length();
        if (length == 0) {
            return;
        }
        MemorySegment data = data();
        byte[] slice = new byte[(int) Math.min(COPY_SLICE, length)];
        for (long offset = 0; offset < length; offset += slice.length) {
            int n = (int) Math.min(slice.length, length - offset);
            MemorySegment.copy(data, java.lang.foreign.ValueLayout.JAVA_BYTE, offset, slice, 0, n);
            out.write(slice, 0, n);
        }
    }

    public double elapsedSeconds() {
        try {
            return (double) lib.resultElapsed.invokeExact(handle);
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** Rows in the result set. */
    public long resultRows() {
        return counter(lib.resultRowsRead);
    }

    /** Bytes of the result set in the engine's internal representation. */
    public long resultBytes() {
        return counter(lib.resultBytesRead);
    }

    public long storageRowsRead() {
        return counter(lib.resultStorageRowsRead);
    }

    public long storageBytesRead() {
        return counter(lib.resultStorageBytesRead);
    }

    /** Rows written, including rows that materialized views wrote (as X-ClickHouse-Summary counts them). */
    public long rowsWritten() {
        return counter(lib.resultRowsWritten);
    }

    public long bytesWritten() {
        return counter(lib.resultBytesWritten);
    }

    private long counter(java.lang.invoke.MethodHandle accessor) {
        try {
            return (long) accessor.invokeExact(handle);
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    @Override
    public void close() {
        if (handle != null) {
            try {
                lib.destroyQueryResult.invokeExact(handle);
            } catch (Throwable t) {
                throw new IllegalStateException(t);
            } finally {
                handle = null;
            }
        }
    }
}
