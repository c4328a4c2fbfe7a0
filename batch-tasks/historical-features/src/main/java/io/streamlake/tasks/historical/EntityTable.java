package io.streamlake.tasks.historical;

import io.streamlake.features.offline.TrainingSetQuery;

import org.springframework.batch.item.file.transform.DelimitedLineTokenizer;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * Loads the entity file into a ClickHouse table of its own: every column as text, plus {@code __row} (file order) and
 * {@code __ts} (the row's time in UTC), the two the point-in-time join uses. A row whose time cannot be read fails
 * the load naming its line.
 */
final class EntityTable {

    private static final DateTimeFormatter UTC_TEXT = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter LOCAL = DateTimeFormatter.ofPattern("yyyy-MM-dd[ ]['T']HH:mm:ss[.SSS][.SS][.S]");

    final List<String> columns;
    final Instant latest;
    final long rows;

    private EntityTable(List<String> columns, Instant latest, long rows) {
        this.columns = columns;
        this.latest = latest;
        this.rows = rows;
    }

    static EntityTable load(Path file, String timestampColumn, List<String> requiredColumns, Connection c, String table)
            throws IOException, SQLException {
        DelimitedLineTokenizer csv = new DelimitedLineTokenizer();
        csv.setStrict(false);
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String header = in.readLine();
            if (header == null) {
                throw new IllegalArgumentException(file + " is empty; expected a header line");
            }
            List<String> columns = new ArrayList<>();
            for (String name : csv.tokenize(header.replace("\uFEFF", "")).getValues()) {
                columns.add(TrainingSetQuery.checkedColumn(name.strip()));
            }
            int ts = columns.indexOf(timestampColumn);
            if (ts < 0) {
                throw new IllegalArgumentException(file + ": no '" + timestampColumn + "' column (columns: " + columns + ")");
            }
            for (String key : requiredColumns) {
                if (!columns.contains(key)) {
                    throw new IllegalArgumentException(file + ": no '" + key + "' column, the join key the requested features need"
                            + " (columns: " + columns + ")");
                }
            }
            try (Statement st = c.createStatement()) {
                st.execute("CREATE TABLE " + table + " (`__row` UInt64, `__ts` DateTime64(3, 'UTC'), "
                        + String.join(", ", columns.stream().map(col -> TrainingSetQuery.ident(col) + " String").toList())
                        + ") ENGINE = MergeTree ORDER BY `__row`");
            }
            String insert = "INSERT INTO " + table + " VALUES (?, ?" + ", ?".repeat(columns.size()) + ")";
            Instant latest = Instant.EPOCH;
            long row = 0;
            try (PreparedStatement ps = c.prepareStatement(insert)) {
                int batched = 0;
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    if (line.isBlank()) {
                        continue;
                    }
                    row++;
                    String[] values = csv.tokenize(line).getValues();
                    if (values.length != columns.size()) {
                        throw new IllegalArgumentException(file + ":" + (row + 1) + ": " + values.length + " fields where the header has "
                                + columns.size());
                    }
                    Instant at = instant(values[ts].strip(), file, row + 1);
                    if (at.isAfter(latest)) {
                        latest = at;
                    }
                    ps.setLong(1, row);
                    ps.setString(2, UTC_TEXT.format(at)); // read by ClickHouse in the column's zone, UTC: no driver zone shifts
                    for (int i = 0; i < values.length; i++) {
                        ps.setString(i + 3, values[i]);
                    }
                    ps.addBatch();
                    if (++batched == 10_000) {
                        ps.executeBatch();
                        batched = 0;
                    }
                }
                if (batched > 0) {
                    ps.executeBatch();
                }
            }
            return new EntityTable(columns, latest, row);
        }
    }

    private static Instant instant(String text, Path file, long line) {
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException notWithOffset) {
            try {
                return LocalDateTime.parse(text, LOCAL).toInstant(ZoneOffset.UTC);
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException(file + ":" + line + ": '" + text + "' is not a timestamp (ISO-8601, or"
                        + " yyyy-MM-dd HH:mm:ss[.SSS] in UTC)");
            }
        }
    }
}
