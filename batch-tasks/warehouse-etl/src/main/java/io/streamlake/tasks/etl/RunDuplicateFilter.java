package io.streamlake.tasks.etl;

import org.springframework.batch.core.StepExecution;
import org.springframework.batch.core.StepExecutionListener;
import org.springframework.batch.item.ItemProcessor;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowCallbackHandler;

import java.util.UUID;

/**
 * Rejects an activity row whose {@code event_id} appeared earlier in the same run (the first occurrence, in file
 * and line order, is kept): {@code duplicate_event}, like a row whose event the warehouse already holds.
 * <p>
 * Done while reading, on the read-ahead thread (it is the second half of the activity step's processor), so the
 * load need not sort the run's rows to find them. The ids of the run's committed chunks are read back from staging
 * when the step starts (before the reader opens), so a restarted run judges the rest of its rows exactly as an
 * uninterrupted one would; rows read ahead of a failed chunk are read again only by a new launch, which starts from
 * staging again. Ids are kept as pairs of longs in an open-addressing table: 32 to 64 bytes an id (a million ids in
 * at most 64 MB).
 */
final class RunDuplicateFilter implements ItemProcessor<SourceRows.Cleaned<SourceRows.Activity>, SourceRows.Cleaned<SourceRows.Activity>>,
        StepExecutionListener {

    private final JdbcTemplate jdbc;
    private final String stagingTable;
    /** (hi, lo) pairs; at most half the slots used. */
    private long[] table = new long[1 << 14];
    private int size;
    private boolean nilSeen;

    RunDuplicateFilter(JdbcTemplate jdbc, String stagingTable) {
        this.jdbc = jdbc;
        this.stagingTable = stagingTable;
    }

    @Override
    public void beforeStep(StepExecution step) {
        table = new long[1 << 14];
        size = 0;
        nilSeen = false;
        long runId = step.getJobExecution().getJobInstance().getInstanceId();
        jdbc.query("SELECT event_id FROM " + stagingTable + " WHERE run_id = ?",
                (RowCallbackHandler) row -> add(row.getObject(1, UUID.class)), runId);
    }

    @Override
    public SourceRows.Cleaned<SourceRows.Activity> process(SourceRows.Cleaned<SourceRows.Activity> row) {
        if (row instanceof SourceRows.Clean<SourceRows.Activity> clean && !add(clean.row().eventId())) {
            return new SourceRows.Rejected<>(clean.source(), RejectReason.DUPLICATE_EVENT, "event_id " + clean.row().eventId()
                    + " appeared earlier in this run");
        }
        return row;
    }

    /** Adds an id; false when it was there already. */
    boolean add(UUID id) {
        long hi = id.getMostSignificantBits();
        long lo = id.getLeastSignificantBits();
        if (hi == 0 && lo == 0) { // (0, 0) marks a free slot, so the nil UUID is kept aside
            boolean first = !nilSeen;
            nilSeen = true;
            return first;
        }
        if (size * 2 >= table.length / 2) {
            grow();
        }
        if (!insert(table, hi, lo)) {
            return false;
        }
        size++;
        return true;
    }

    /** Linear probing over (hi, lo) pairs; false when the id is there already. */
    private static boolean insert(long[] t, long hi, long lo) {
        int mask = t.length / 2 - 1;
        long h = (hi ^ lo) * 0x9E3779B97F4A7C15L;
        for (int i = (int) (h ^ (h >>> 32)) & mask; ; i = (i + 1) & mask) {
            long storedHi = t[2 * i];
            long storedLo = t[2 * i + 1];
            if (storedHi == 0 && storedLo == 0) {
                t[2 * i] = hi;
                t[2 * i + 1] = lo;
                return true;
            }
            if (storedHi == hi && storedLo == lo) {
                return false;
            }
        }
    }

    private void grow() {
        long[] old = table;
        long[] bigger = new long[old.length * 2];
        for (int i = 0; i < old.length; i += 2) {
            if (old[i] != 0 || old[i + 1] != 0) {
                insert(bigger, old[i], old[i + 1]);
            }
        }
        table = bigger;
    }

    int size() {
        return size + (nilSeen ? 1 : 0);
    }
}
