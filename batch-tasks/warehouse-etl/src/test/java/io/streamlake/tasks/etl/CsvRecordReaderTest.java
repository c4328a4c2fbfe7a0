package io.streamlake.tasks.etl;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.batch.core.JobExecution;
import org.springframework.batch.core.StepExecution;
import io.streamlake.task.ReadAheadItemReader;
import org.springframework.batch.item.ExecutionContext;
import org.springframework.batch.item.ItemStreamReader;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The ETL's CSV reading as its steps run it: the record reader behind the read-ahead wrapper, with the cleaning as
 * the wrapper's processor. Records, problems, and the position a restart resumes from.
 */
class CsvRecordReaderTest {

    @TempDir
    Path dir;

    @Test
    void readsRecordsAcrossFilesWithTheirFileLineAndProblem() throws Exception {
        List<String> all = readAll(reader(files(), 3, CsvRecordReaderTest::describe), new ExecutionContext(), Integer.MAX_VALUE);
        assertThat(all).containsExactly(
                "a.csv:2 code=1 name=plain",
                "a.csv:4 code=2 name=two\nlines",          // a quoted line break; line 3 holds its first half
                "a.csv:6 code=3 name=say \"hi\"",           // line 5 is blank: not a record
                "a.csv:7 problem=2 fields where the header has 3",
                "a.csv:10 problem=cannot be split into fields: a quoted field is not closed", // ends after 3 lines
                "a.csv:11 code=6 name=after",
                "b.csv:2 code=7 name=bom and reordered",
                "b.csv:4 code=9 name=5\" screen",     // a quote inside a field is text: it opens nothing
                "b.csv:5 problem=cannot be split into fields: a quoted field is not closed");   // open at the end of the file
    }

    @Test
    void aRestartResumesAfterWhatTheStepConsumedNotWhatWasReadAhead() throws Exception {
        List<Path> files = files();
        List<String> uninterrupted = readAll(reader(files, 3, CsvRecordReaderTest::describe), new ExecutionContext(), Integer.MAX_VALUE);
        List<String> pieces = new ArrayList<>();
        ExecutionContext saved = new ExecutionContext();
        for (int take : new int[]{2, 4, 1, 100}) { // the second piece crosses into b.csv
            pieces.addAll(readAll(reader(files, 3, CsvRecordReaderTest::describe), saved, take));
        }
        assertThat(pieces).isEqualTo(uninterrupted);
    }

    @Test
    void preparationRunsOnTheReadingThreadAndItsFailureReachesTheStep() throws Exception {
        ItemStreamReader<String> failing = reader(files(), 3, r -> {
            if (r.line() == 6) {
                throw new IllegalStateException("cleaner broke at line 6");
            }
            return Thread.currentThread().getName();
        });
        List<String> threads = new ArrayList<>();
        failing.open(new ExecutionContext());
        try {
            threads.add(failing.read());
            threads.add(failing.read());
            org.assertj.core.api.Assertions.assertThatThrownBy(failing::read).hasMessage("cleaner broke at line 6");
            org.assertj.core.api.Assertions.assertThatThrownBy(failing::read).hasMessage("cleaner broke at line 6");
        } finally {
            failing.close();
        }
        assertThat(threads).containsOnly("csv-reader-activity");
    }

    @Test
    void aRestartPositionSavedByAnEarlierVersionIsRefusedNotMisread() throws Exception {
        ExecutionContext saved = new ExecutionContext();
        saved.putInt("activity-files.resourceIndex", 0);
        saved.putInt("activity-lines.read.count", 5000);
        ItemStreamReader<String> reader = reader(files(), 3, CsvRecordReaderTest::describe);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> reader.open(saved))
                .isInstanceOf(org.springframework.batch.item.ItemStreamException.class).hasMessageContaining("earlier version");
    }

    private List<Path> files() throws Exception {
        Path a = dir.resolve("a.csv");
        Files.writeString(a, "Code,Name,extra\n"
                + "1,plain,x\n"
                + "2,\"two\nlines\",x\n"
                + "\n"
                + "3,\"say \"\"hi\"\"\",x\n"
                + "4,short\n"
                + "5,\"open,x\n6,more,x\n7,swallowed,x\n"
                + "6,after,x\n", StandardCharsets.UTF_8);
        Path b = dir.resolve("b.csv");
        Files.writeString(b, "\uFEFFextra,name,code\ny,bom and reordered,7\n  \nw,5\" screen,9\nz,\"never closed,8\n",
                StandardCharsets.UTF_8);
        return List.of(a, b);
    }

    private static <T> ItemStreamReader<T> reader(List<Path> files, int maxRecordLines, Function<CsvRecord, T> prepare) {
        CsvRecordReader records = new CsvRecordReader("activity", StandardCharsets.UTF_8, ',', '"', maxRecordLines);
        JobExecution job = new JobExecution(1L);
        job.getExecutionContext().putString("files.activity", String.join("\n", files.stream().map(Path::toString).toList()));
        records.beforeStep(new StepExecution("activity", job));
        return new ReadAheadItemReader<>("csv-reader-activity", records, prepare::apply);
    }

    /** Reads up to {@code max} items from the saved position, saves the new position, closes. */
    private static <T> List<T> readAll(ItemStreamReader<T> reader, ExecutionContext context, int max) throws Exception {
        List<T> items = new ArrayList<>();
        reader.open(context);
        try {
            for (T item; items.size() < max && (item = reader.read()) != null; ) {
                items.add(item);
            }
            reader.update(context);
        } finally {
            reader.close();
        }
        return items;
    }

    private static String describe(CsvRecord r) {
        String where = r.file() + ":" + r.line();
        return r.problem() != null ? where + " problem=" + r.problem() : where + " code=" + r.get("code") + " name=" + r.get("name");
    }
}
