package io.streamlake.task;

import org.junit.jupiter.api.Test;
import org.springframework.batch.item.ExecutionContext;
import org.springframework.batch.item.ItemStreamReader;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The read-ahead wrapper over a plain restartable reader: order, filtering, failures, and where a restart resumes. */
class ReadAheadItemReaderTest {

    private static final List<Integer> NUMBERS = IntStream.rangeClosed(1, 2_500).boxed().toList();

    @Test
    void aRestartResumesAfterWhatTheStepTookEvenAcrossBatchesAndFilteredRecords() throws Exception {
        List<String> uninterrupted = readAll(new ExecutionContext(), Integer.MAX_VALUE);
        assertThat(uninterrupted).hasSize(1_250).startsWith("2", "4").endsWith("2500");
        List<String> pieces = new ArrayList<>();
        ExecutionContext saved = new ExecutionContext();
        for (int take : new int[]{3, 499, 1, 500, 2, 10_000}) { // pieces end inside batches and on their edges
            pieces.addAll(readAll(saved, take));
        }
        assertThat(pieces).isEqualTo(uninterrupted);
    }

    @Test
    void theProcessorRunsOnTheReadingThreadAndItsFailureComesAfterTheRecordsBeforeIt() throws Exception {
        ReadAheadItemReader<Integer, String> reader = new ReadAheadItemReader<>("reader-thread", new NumberReader(), n -> {
            if (n == 1_500) {
                throw new IllegalStateException("broke at 1500");
            }
            return Thread.currentThread().getName();
        });
        reader.open(new ExecutionContext());
        try {
            for (int i = 1; i < 1_500; i++) {
                assertThat(reader.read()).isEqualTo("reader-thread");
            }
            assertThatThrownBy(reader::read).hasMessage("broke at 1500");
            assertThatThrownBy(reader::read).hasMessage("broke at 1500"); // and again: the step never sees a later record
        } finally {
            reader.close();
        }
    }

    /** Reads up to {@code max} items from the saved position (even numbers only: odd ones are filtered), saves, closes. */
    private static List<String> readAll(ExecutionContext context, int max) throws Exception {
        ReadAheadItemReader<Integer, String> reader = new ReadAheadItemReader<>("numbers", new NumberReader(),
                n -> n % 2 == 0 ? String.valueOf(n) : null);
        List<String> items = new ArrayList<>();
        reader.open(context);
        try {
            for (String item; items.size() < max && (item = reader.read()) != null; ) {
                items.add(item);
            }
            reader.update(context);
        } finally {
            reader.close();
        }
        return items;
    }

    /** A plain restartable reader: its position is how many numbers it has read. */
    private static final class NumberReader implements ItemStreamReader<Integer> {
        private int next;

        @Override
        public void open(ExecutionContext context) {
            next = context.getInt("numbers.position", 0);
        }

        @Override
        public Integer read() {
            return next < NUMBERS.size() ? NUMBERS.get(next++) : null;
        }

        @Override
        public void update(ExecutionContext context) {
            context.putInt("numbers.position", next);
        }
    }
}
