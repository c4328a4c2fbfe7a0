package io.streamlake.tasks.etl;

import org.springframework.batch.core.StepExecution;
import org.springframework.batch.core.StepExecutionListener;
import org.springframework.batch.item.ExecutionContext;
import org.springframework.batch.item.ItemStreamException;
import org.springframework.batch.item.ItemStreamReader;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.function.Function;

/**
 * Reads one source's CSV files for this run, the files the {@code prepare} step chose (kept in the job's execution
 * context, so a restart reads exactly the same files in the same order), and hands each record to the step
 * already prepared by {@code prepare} (the source's cleaner).
 * <p>
 * Reading, splitting and cleaning run on a thread of their own, a few thousand records ahead of the step: while the
 * step's thread writes a chunk to PostgreSQL by COPY, the next chunk is being parsed. The saved position is what the
 * step has consumed (file and record within it), stored with each committed chunk, so a restart resumes right after
 * the last committed chunk whatever the reading thread had read ahead.
 * <p>
 * Records: the first line of a file is its header (a UTF-8 byte-order mark is dropped; names are resolved by
 * {@link SourceRowCleaner#canonicalColumn}). A record may span lines inside a quoted field, but at most
 * {@code maxRecordLines} lines, so an unbalanced quote cannot swallow the rest of a file: the record then ends and
 * is rejected as malformed. Blank lines are not records. A record's line is the line it ends on.
 */
final class CsvSourceReader<T> implements ItemStreamReader<T>, StepExecutionListener {

    private static final int BATCH = 1_000;
    private static final Object END = new Object();

    private final String source;
    private final Charset charset;
    private final CsvRecordTokenizer tokenizer;
    private final int maxRecordLines;
    private final Function<CsvRecord, T> prepare;
    private List<Path> files = List.of();

    /** The reading thread of the current open(), with its own queue and stop flag (a stale one can feed nothing). */
    private Reading reading;
    private Batch<T> current;
    private int taken;
    /** Position consumed by the step: file index, and records of that file. */
    private int file;
    private long records;

    CsvSourceReader(String source, Charset charset, char delimiter, char quote, int maxRecordLines,
                    Function<CsvRecord, T> prepare) {
        this.source = source;
        this.charset = charset;
        this.tokenizer = new CsvRecordTokenizer(delimiter, quote);
        this.maxRecordLines = Math.max(1, maxRecordLines);
        this.prepare = prepare;
    }

    /** Where the {@code prepare} step keeps a source's file list in the job's execution context. */
    static String key(String source) {
        return "files." + source;
    }

    @Override
    public void beforeStep(StepExecution step) {
        String list = step.getJobExecution().getExecutionContext().getString(key(source), "");
        files = Arrays.stream(list.split("\n")).filter(p -> !p.isEmpty()).map(Path::of).toList();
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
        records = context.getLong(positionKey("records"), 0L);
        current = null;
        reading = new Reading(files, file, records);
    }

    @Override
    public T read() throws Exception {
        while (current == null || taken == current.items.size()) {
            Object next = reading.queue.take();
            if (!(next instanceof Batch)) {
                reading.queue.put(next); // the end, or the reading thread's failure: later calls see it again
            }
            if (next == END) {
                return null;
            }
            if (next instanceof Exception e) {
                throw e;
            }
            if (next instanceof Error e) {
                throw e;
            }
            @SuppressWarnings("unchecked")
            Batch<T> batch = (Batch<T>) next;
            current = batch;
            taken = 0;
        }
        T item = current.items.get(taken++);
        file = current.file;
        records = current.firstRecord + taken;
        return item;
    }

    @Override
    public void update(ExecutionContext context) {
        context.putInt(positionKey("file"), file);
        context.putLong(positionKey("records"), records);
    }

    @Override
    public void close() {
        if (reading != null) {
            reading.stop();
            reading = null;
        }
        current = null;
    }

    private String positionKey(String name) {
        return "csv." + source + "." + name;
    }

    private CsvRecord record(String file, long line, String raw, Map<String, Integer> columns, String[] columnNames) {
        String[] values = tokenizer.split(raw);
        if (values == null) {
            return new CsvRecord(file, line, Map.of(), raw, "cannot be split into fields: a quoted field is not closed");
        }
        if (values.length != columnNames.length) {
            return new CsvRecord(file, line, Map.of(), raw, values.length + " fields where the header has " + columnNames.length);
        }
        return new CsvRecord(file, line, new Fields(columns, columnNames, values), raw, null);
    }

    /** One open()'s reading thread: its files, its queue and its stop flag. */
    private final class Reading {
        final BlockingQueue<Object> queue = new ArrayBlockingQueue<>(8);
        private final List<Path> files;
        private final Thread thread;
        private volatile boolean stopped;

        Reading(List<Path> files, int startFile, long skip) {
            this.files = files;
            this.thread = new Thread(() -> readAll(startFile, skip), "csv-reader-" + source);
            thread.setDaemon(true);
            thread.start();
        }

        void stop() {
            stopped = true;
            thread.interrupt();
            try {
                thread.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        private void put(Object o) throws InterruptedException {
            queue.put(o);
        }

        /** The reading thread: every record from {@code startFile}, skipping the first {@code skip} records of it. */
        private void readAll(int startFile, long skip) {
            try {
                for (int f = startFile; f < files.size() && !stopped; f++) {
                    readFile(f, f == startFile ? skip : 0);
                }
                put(END);
            } catch (InterruptedException stop) {
                // closed by the step
            } catch (Exception | Error e) {
                try {
                    put(e instanceof IOException io ? new ItemStreamException("cannot read " + source + " file: " + io.getMessage(), io) : e);
                } catch (InterruptedException stop) {
                    // closed by the step
                }
            }
        }

        private void readFile(int f, long skip) throws IOException, InterruptedException {
            Path path = files.get(f);
            String name = path.getFileName().toString();
            try (BufferedReader in = new BufferedReader(new InputStreamReader(Files.newInputStream(path), charset), 1 << 16)) {
                String header = in.readLine();
                if (header == null) {
                    return;
                }
                if (header.startsWith("\uFEFF")) {
                    header = header.substring(1);
                }
                String[] names = tokenizer.split(header);
                Map<String, Integer> columns = new HashMap<>();
                for (int i = 0; names != null && i < names.length; i++) {
                    columns.put(SourceRowCleaner.canonicalColumn(names[i]), i);
                }
                String[] columnNames = new String[names == null ? 0 : names.length];
                columns.forEach((column, i) -> columnNames[i] = column);
                long line = 1;
                long record = 0;
                Batch<T> batch = new Batch<>(f, skip);
                StringBuilder text = new StringBuilder();
                for (String first; (first = in.readLine()) != null && !stopped; ) {
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
                    if (++record <= skip) {
                        continue;
                    }
                    T prepared;
                    try {
                        prepared = prepare.apply(record(name, line, raw, columns, columnNames));
                    } catch (RuntimeException | Error e) {
                        if (!batch.items.isEmpty()) {
                            put(batch); // the records before the failing one reach the step first, in order
                        }
                        throw e;
                    }
                    batch.items.add(prepared);
                    if (batch.items.size() == BATCH) {
                        put(batch);
                        batch = new Batch<>(f, record);
                    }
                }
                if (!batch.items.isEmpty()) {
                    put(batch);
                }
            }
        }
    }

    /** Prepared records of one file, the first of them being record {@code firstRecord + 1} of the file. */
    private static final class Batch<T> {
        final int file;
        final long firstRecord;
        final List<T> items = new ArrayList<>(BATCH);

        Batch(int file, long firstRecord) {
            this.file = file;
            this.firstRecord = firstRecord;
        }
    }

    /**
     * A record's fields by column name, over the file's shared column index: a record costs its values array, not
     * a map of its own. Where a header repeats a name, the last column of that name counts.
     */
    private static final class Fields extends AbstractMap<String, String> {
        private final Map<String, Integer> columns;
        private final String[] names;
        private final String[] values;

        Fields(Map<String, Integer> columns, String[] names, String[] values) {
            this.columns = columns;
            this.names = names;
            this.values = values;
        }

        @Override
        public String get(Object key) {
            Integer i = columns.get(key);
            return i == null ? null : values[i];
        }

        @Override
        public boolean containsKey(Object key) {
            return columns.containsKey(key);
        }

        /** The fields' values without building an entry per field (the cleaner scans every row's values). */
        @Override
        public Collection<String> values() {
            List<String> fieldValues = new ArrayList<>(values.length);
            for (int i = 0; i < names.length; i++) {
                if (names[i] != null) {
                    fieldValues.add(values[i]);
                }
            }
            return fieldValues;
        }

        @Override
        public Set<Entry<String, String>> entrySet() {
            return new AbstractSet<>() {
                @Override
                public Iterator<Entry<String, String>> iterator() {
                    return new Iterator<>() {
                        private int next = advance(0);

                        private int advance(int from) {
                            while (from < names.length && names[from] == null) {
                                from++; // a repeated column name: only its last column is a field
                            }
                            return from;
                        }

                        @Override
                        public boolean hasNext() {
                            return next < names.length;
                        }

                        @Override
                        public Entry<String, String> next() {
                            if (next >= names.length) {
                                throw new NoSuchElementException();
                            }
                            Entry<String, String> e = new SimpleImmutableEntry<>(names[next], values[next]);
                            next = advance(next + 1);
                            return e;
                        }
                    };
                }

                @Override
                public int size() {
                    return columns.size();
                }
            };
        }
    }
}
