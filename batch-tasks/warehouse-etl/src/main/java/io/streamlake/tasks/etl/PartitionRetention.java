package io.streamlake.tasks.etl;

import io.streamlake.common.sql.SqlIdentifier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.StepContribution;
import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.repeat.RepeatStatus;
import org.springframework.jdbc.core.JdbcTemplate;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Drops, or detaches into the archive schema, the monthly {@code fact_activity} partitions whose month ended more
 * than the configured age ago. Archived partitions keep their rows and can be attached back.
 */
final class PartitionRetention implements Tasklet {

    private static final Logger log = LoggerFactory.getLogger(PartitionRetention.class);
    private static final Pattern MONTH = Pattern.compile("fact_activity_(\\d{4})_(\\d{2})");

    private final JdbcTemplate jdbc;
    private final WarehouseSchema schema;
    private final WarehouseEtlProperties.Retention retention;

    PartitionRetention(JdbcTemplate jdbc, WarehouseSchema schema, WarehouseEtlProperties.Retention retention) {
        this.jdbc = jdbc;
        this.schema = schema;
        this.retention = retention;
    }

    /** The {@code retention} step: the policy as of now. */
    @Override
    public RepeatStatus execute(StepContribution contribution, ChunkContext chunk) {
        apply(Instant.now());
        return RepeatStatus.FINISHED;
    }

    /** Applies the policy as of {@code now}; returns the partitions removed from the fact table. */
    List<String> apply(Instant now) {
        Instant cutoff = now.minus(retention.getMaxAge());
        List<String> partitions = jdbc.queryForList("SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid"
                + " WHERE i.inhparent = ?::regclass ORDER BY c.relname", String.class, schema.warehouse("fact_activity"));
        List<String> removed = new ArrayList<>();
        for (String partition : partitions) {
            Matcher m = MONTH.matcher(partition);
            if (!m.matches()) {
                continue;
            }
            LocalDate monthEnd = LocalDate.of(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), 1).plusMonths(1);
            if (!monthEnd.atStartOfDay().toInstant(ZoneOffset.UTC).isAfter(cutoff)) {
                String table = schema.warehouse(partition);
                if (retention.getMode() == WarehouseEtlProperties.Retention.Mode.DROP) {
                    jdbc.execute("DROP TABLE " + table);
                } else {
                    String archive = SqlIdentifier.of("archive schema", retention.getArchiveSchema()).postgres();
                    jdbc.execute("CREATE SCHEMA IF NOT EXISTS " + archive);
                    jdbc.execute("ALTER TABLE " + schema.warehouse("fact_activity") + " DETACH PARTITION " + table);
                    jdbc.execute("ALTER TABLE " + table + " SET SCHEMA " + archive);
                }
                removed.add(partition);
                log.info("Retention: {} {} (its month ended before {})", retention.getMode() == WarehouseEtlProperties.Retention.Mode.DROP
                        ? "dropped" : "archived", partition, cutoff);
            }
        }
        return removed;
    }
}
