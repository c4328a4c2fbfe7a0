package io.streamlake.tasks.etl;

import org.springframework.batch.core.StepExecution;
import org.springframework.batch.core.StepExecutionListener;
import org.springframework.batch.item.ExecutionContext;
import org.springframework.batch.item.ItemStreamException;
import org.springframework.batch.item.ItemStreamReader;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Reads one source's CSV files for this run, record by record: the files the run ledger chose for the run (kept in
 * the job's execution context, so a restart reads exactly the same files in the same order). Restartable on its own:
 * its position is the file and the number of records read from it.
 * <p>
 * Records: the first line of a file is its header (a UTF-8 byte-order mark is dropped; names are resolved by
 * {@link SourceRowCleaner#canonicalColumn}). A record may span lines inside a quoted field, but at most
 * {@code maxRecordLines} lines, so an unbalanced quote cannot swallow the rest of a file: the record then ends and
 * is rejected as malformed. Blank lines are not records. A record's line is the line it ends on. A record that cannot
 * be split into the header's fields carries the {@code problem} instead of fields.
 */
final class CsvRecordReader implements ItemStreamReader<CsvRecord>, StepExecutionListener {

    private final String source;
    private final Charset charset;
    private final CsvRecordTokenizer tokenizer;
    private final int maxRecordLines;
    private List<Path> files = List.of();

    /** Position: file index, and records read from that file. */
    private int file;
    private long records;
    private BufferedReader in;
    private String fileName;
    private CsvFields.Columns columns;
    private long line;
    private final StringBuilder text = new StringBuilder();

    CsvRecordReader(String source, Charset charset, char delimiter, char quote, int maxRecordLines) {
        this.source = source;
        this.charset = charset;
        this.tokenizer = new CsvRecordTokenizer(delimiter, quote);
        this.maxRecordLines = Math.max(1, maxRecordLines);
    }

    /** The run's files for this source, as the run ledger chose them. */
    @Override
    public void beforeStep(StepExecution step) {
        files = RunLedger.files(step.getJobExecution().getExecutionContext(), source);
    }

    @Override
    public void open(ExecutionContext context) {
        if (context.containsKey(source + "-files.resourceIndex") && !context.containsKey(positionKey("file"))) {
            // Saved by the Spring Batch readers of warehouse-etl before 0.1.0's own reader, with other keys and with
            // duplicates left for the load to find: resuming from it could load rows twice.
            throw new ItemStreamException("this run of warehouse-etl was started by an earlier version, whose restart position"
                    + " this version cannot resume from; abandon the run (e.g. SCDF's task execution stop) and launch a new one");
        }
        file = context.getInt(positionKey("file"), 0);
        long skip = context.getLong(positionKey("records"), 0L);
        try {
            openFile();
            while (records < skip && nextRecord() != null) {
                // records the step had committed
            }
        } catch (IOException e) {
            throw cannotRead(e);
        }
    }

    @Override
    public CsvRecord read() {
        try {
            CsvRecord record;
            while ((record = nextRecord()) == null && file < files.size()) {
                file++;
                openFile();
            }
            return record;
        } catch (IOException e) {
            throw cannotRead(e);
        }
    }

    @Override
    public void update(ExecutionContext context) {
        context.putInt(positionKey("file"), file);
        context.putLong(positionKey("records"), records);
    }

    @Override
    public void close() {
        closeFile();
    }

    private String positionKey(String name) {
        return "csv." + source + "." + name;
    }

    private ItemStreamException cannotRead(IOException e) {
        return new ItemStreamException("cannot read " + source + " file: " + e.getMessage(), e);
    }

    /** Opens file {@code file} (if there is one) and reads its header. */
    private void openFile() throws IOException {
        closeFile();
        records = 0;
        if (file >= files.size()) {
            return;
        }
        Path path = files.get(file);
        fileName = path.getFileName().toString();
        in = new BufferedReader(new InputStreamReader(Files.newInputStream(path), charset), 1 << 16);
        String header = in.readLine();
        line = 1;
        if (header != null && header.startsWith("\uFEFF")) {
            header = header.substring(1);
        }
        columns = CsvFields.Columns.of(header == null ? null : tokenizer.split(header), SourceRowCleaner::canonicalColumn);
    }

    private void closeFile() {
        if (in != null) {
            try {
                in.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } finally {
                in = null;
            }
        }
    }

    /** The next record of the open file; null at its end (or when there is no file left). */
    private CsvRecord nextRecord() throws IOException {
        if (in == null) {
            return null;
        }
        for (String first; (first = in.readLine()) != null; ) {
            line++;
            if (first.isBlank()) {
                continue;
            }
            String raw = first;
            if (tokenizer.quotedFieldOpenAfter(first, false)) {
                text.setLength(0);
                text.append(first);
                boolean open = true;
                for (int lines = 1; open && lines < maxRecordLines; lines++) {
                    String next = in.readLine();
                    if (next == null) {
                        break;
                    }
                    line++;
                    text.append('\n').append(next);
                    open = tokenizer.quotedFieldOpenAfter(next, true);
                }
                raw = text.toString();
            }
            records++;
            return record(raw);
        }
        closeFile();
        return null;
    }

    private CsvRecord record(String raw) {
        String[] values = tokenizer.split(raw);
        if (values == null) {
            return new CsvRecord(fileName, line, Map.of(), raw, "cannot be split into fields: a quoted field is not closed");
        }
        if (values.length != columns.size()) {
            return new CsvRecord(fileName, line, Map.of(), raw, values.length + " fields where the header has " + columns.size());
        }
        return new CsvRecord(fileName, line, new CsvFields(columns, values), raw, null);
    }
}
