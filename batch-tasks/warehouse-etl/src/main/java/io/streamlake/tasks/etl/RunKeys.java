package io.streamlake.tasks.etl;

import io.streamlake.task.PostgresCopy;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.StepExecution;
import org.springframework.batch.core.StepExecutionListener;
import org.springframework.batch.item.ItemProcessor;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowCallbackHandler;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The keys of the run's activity that the load needs before it moves a single fact: each customer with its first
 * event time, each game with its type, each month with its first and last event time. Collected while reading (on
 * the read-ahead thread, as the second pass over the rows the load would otherwise make), and written to
 * {@code staging.activity_keys} when the activity step completes.
 * <p>
 * A restarted step first reads the keys of its committed rows back from staging, so the keys it writes are those of
 * all the run's rows, exactly as an uninterrupted step's. A step that fails writes nothing; the load computes the keys
 * from staging itself whenever the table has none for the run.
 */
final class RunKeys implements ItemProcessor<SourceRows.Cleaned<SourceRows.Activity>, SourceRows.Cleaned<SourceRows.Activity>>,
        StepExecutionListener {

    private final JdbcTemplate jdbc;
    private final javax.sql.DataSource dataSource;
    private final WarehouseSchema schema;
    private final Map<String, Instant> customers = new HashMap<>();
    private final Map<String, String> games = new HashMap<>();
    private final Map<LocalDate, Instant[]> months = new TreeMap<>();
    private long runId;

    RunKeys(JdbcTemplate jdbc, WarehouseSchema schema) {
        this.jdbc = jdbc;
        this.dataSource = jdbc.getDataSource();
        this.schema = schema;
    }

    /** The keys of the rows an earlier attempt of the step committed (none on a first attempt). */
    @Override
    public void beforeStep(StepExecution step) {
        customers.clear();
        games.clear();
        months.clear();
        runId = step.getJobExecution().getJobInstance().getInstanceId();
        jdbc.query("SELECT customer_id, game_id, game_type, min(activity_datetime), max(activity_datetime) FROM "
                        + schema.staging("activity") + " WHERE run_id = ? GROUP BY customer_id, game_id, game_type",
                (RowCallbackHandler) row -> {
                    Instant first = row.getTimestamp(4).toInstant();
                    add(row.getString(1), row.getString(2), row.getString(3), first);
                    add(row.getString(1), row.getString(2), row.getString(3), row.getTimestamp(5).toInstant());
                }, runId);
    }

    @Override
    public SourceRows.Cleaned<SourceRows.Activity> process(SourceRows.Cleaned<SourceRows.Activity> row) {
        if (row instanceof SourceRows.Clean<SourceRows.Activity> clean) {
            SourceRows.Activity a = clean.row();
            add(a.customerId(), a.gameId(), a.gameType(), a.activityDatetime());
        }
        return row;
    }

    private void add(String customer, String game, String gameType, Instant at) {
        customers.merge(customer, at, (was, now) -> now.isBefore(was) ? now : was);
        if (game != null) {
            // the load keeps the least type a game was seen with (min in SQL); types are lower-case letters
            games.merge(game, gameType == null ? "" : gameType, (was, now) -> was.isEmpty() || !now.isEmpty() && now.compareTo(was) < 0 ? now : was);
        }
        LocalDate month = LocalDate.ofInstant(at, ZoneOffset.UTC).withDayOfMonth(1);
        Instant[] range = months.computeIfAbsent(month, m -> new Instant[]{at, at});
        if (at.isBefore(range[0])) {
            range[0] = at;
        }
        if (at.isAfter(range[1])) {
            range[1] = at;
        }
    }

    /** Writes the keys when the step completed (replacing any an earlier attempt wrote). */
    @Override
    public ExitStatus afterStep(StepExecution step) {
        if (step.getStatus() != BatchStatus.COMPLETED) {
            return null;
        }
        String table = schema.staging("activity_keys");
        jdbc.update("DELETE FROM " + table + " WHERE run_id = ?", runId);
        try (PostgresCopy copy = PostgresCopy.into(dataSource, table, "run_id, kind, customer_id, game_id, month, game_type, first_at, last_at")) {
            customers.forEach((customer, first) -> copy.value(runId).value("customer").value(customer).value(null).value(null)
                    .value(null).value(first).value(null).endRow());
            games.forEach((game, type) -> copy.value(runId).value("game").value(null).value(game).value(null)
                    .value(type.isEmpty() ? null : type).value(null).value(null).endRow());
            months.forEach((month, range) -> copy.value(runId).value("month").value(null).value(null).value(month).value(null)
                    .value(range[0]).value(range[1]).endRow());
            copy.finish();
        }
        return null;
    }
}
