package io.streamlake.tasks.materialization;

import io.streamlake.features.offline.OfflineViewQuery;
import io.streamlake.features.redis.FeastRedisWriter;
import io.streamlake.features.row.FeatureRow;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.StepContribution;
import org.springframework.batch.core.StepExecution;
import org.springframework.batch.core.StepExecutionListener;
import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.item.ExecutionContext;
import org.springframework.batch.repeat.RepeatStatus;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Materializes one batch view, one page of entities per call: the latest row in the run's range of each entity, in key
 * order, streamed from one offline-store query (one scan of the source, however many pages), written to Redis through
 * the shared Feast writer page by page; the last key written is recorded in the step's context, which commits with the
 * call. A restarted run queries again from after the last committed key; its range is the one fixed when the run first
 * started.
 */
final class ViewMaterializer implements Tasklet, StepExecutionListener {

    private static final Logger log = LoggerFactory.getLogger(ViewMaterializer.class);

    /** Opens a connection to an offline store: clickhouse, or postgres (the warehouse). */
    @FunctionalInterface
    interface OfflineStore {
        Connection open(String store) throws SQLException;
    }

    private final OfflineViewQuery query;
    private final OfflineStore offline;
    private final FeastRedisWriter writer;
    private final MaterializationState state;
    private final FeatureMaterializationProperties properties;
    private final Clock clock;
    private static final int WRITE_BATCH = 2_000;
    private final ExecutorService writerThread = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "feature-materialization-writer");
        t.setDaemon(true);
        return t;
    });
    private int pagesWritten;
    private Connection connection;
    private Statement statement;
    private ResultSet cursor;

    ViewMaterializer(OfflineViewQuery query, OfflineStore offline, FeastRedisWriter writer, MaterializationState state,
                     FeatureMaterializationProperties properties, Clock clock) {
        this.query = query;
        this.offline = offline;
        this.writer = writer;
        this.state = state;
        this.properties = properties;
        this.clock = clock;
    }

    @Override
    public RepeatStatus execute(StepContribution contribution, ChunkContext chunk) throws Exception {
        ExecutionContext context = chunk.getStepContext().getStepExecution().getExecutionContext();
        String view = query.view().name();
        if (!context.containsKey("end")) {
            Instant end = properties.getMode() == FeatureMaterializationProperties.Mode.RANGE && properties.getEnd() != null
                    ? properties.getEnd() : clock.instant().minus(properties.getAllowedLateness());
            Instant start;
            if (properties.getMode() == FeatureMaterializationProperties.Mode.RANGE) {
                if (properties.getStart() == null) {
                    throw new IllegalArgumentException("feature-materialization.start is required in RANGE mode");
                }
                start = properties.getStart();
            } else {
                Instant watermark = state.watermark(view);
                start = watermark == null ? Instant.EPOCH : watermark;
            }
            if (!start.isBefore(end)) {
                throw new IllegalArgumentException("feature view '" + view + "': start " + start + " is not before end " + end);
            }
            long total;
            try (Connection c = offline.open(query.store()); Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery(query.countEntities(start, end))) {
                rs.next();
                total = rs.getLong(1);
            }
            context.putString("start", start.toString());
            context.putString("end", end.toString());
            context.putLong("total", total);
            context.putLong("done", 0);
            log.info("Feature view '{}': materializing {} entities with rows in [{}, {})", view, total, start, end);
        }
        Instant start = Instant.parse(context.getString("start"));
        Instant end = Instant.parse(context.getString("end"));
        String after = context.containsKey("after") ? context.getString("after") : null;
        if (cursor == null) {
            connection = offline.open(query.store());
            if ("postgres".equals(query.store())) {
                connection.setAutoCommit(false); // PgJDBC streams a result only inside a transaction with a fetch size
            }
            statement = connection.createStatement();
            statement.setFetchSize(properties.getChunkSize());
            cursor = statement.executeQuery(query.latestPage(start, end, after, Integer.MAX_VALUE));
        }
        if (properties.getFailAfterChunks() > 0 && pagesWritten == properties.getFailAfterChunks()) {
            throw new IllegalStateException("failure drill: feature-materialization.fail-after-chunks="
                    + properties.getFailAfterChunks() + " reached in view '" + view + "'");
        }
        // Reading the next rows overlaps with writing the previous ones (the writer's own thread); the page's position is
        // committed only once every write of the page has finished.
        List<Future<FeastRedisWriter.Result>> writes = new ArrayList<>();
        List<FeatureRow> batch = new ArrayList<>(WRITE_BATCH);
        int read = 0;
        String last = after;
        while (read < properties.getChunkSize() && cursor.next()) {
            FeatureRow row = query.row(cursor);
            batch.add(row);
            last = String.valueOf(row.entityKey().joinKeys().get(query.joinKey()).value());
            read++;
            if (batch.size() == WRITE_BATCH) {
                List<FeatureRow> full = batch;
                writes.add(writerThread.submit(() -> writer.write(full)));
                batch = new ArrayList<>(WRITE_BATCH);
            }
        }
        if (!batch.isEmpty()) {
            List<FeatureRow> rest = batch;
            writes.add(writerThread.submit(() -> writer.write(rest)));
        }
        int written = 0;
        for (Future<FeastRedisWriter.Result> w : writes) {
            try {
                written += w.get().written();
            } catch (ExecutionException e) {
                throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
            }
        }
        if (read > 0) {
            pagesWritten++;
            contribution.incrementReadCount();
            contribution.incrementWriteCount(written);
        }
        long done = context.getLong("done") + read;
        context.putLong("done", done);
        if (last != null) {
            context.putString("after", last);
        }
        log.info("Feature view '{}': {} / {} entities", view, done, context.getLong("total"));
        if (read < properties.getChunkSize()) {
            long runId = chunk.getStepContext().getStepExecution().getJobExecution().getJobInstance().getInstanceId();
            state.advance(view, end, runId);
            close();
            return RepeatStatus.FINISHED;
        }
        return RepeatStatus.CONTINUABLE;
    }

    @Override
    public ExitStatus afterStep(StepExecution step) {
        close(); // also when the step failed mid-way
        writerThread.shutdown();
        return step.getExitStatus();
    }

    private void close() {
        try (Connection c = connection; Statement st = statement; ResultSet rs = cursor) {
            cursor = null;
            statement = null;
            connection = null;
        } catch (SQLException e) {
            log.debug("closing the offline cursor: {}", e.getMessage());
        }
    }
}
