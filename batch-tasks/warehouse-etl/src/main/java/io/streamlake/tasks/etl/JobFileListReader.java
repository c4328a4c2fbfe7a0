package io.streamlake.tasks.etl;

import org.springframework.batch.core.StepExecution;
import org.springframework.batch.core.StepExecutionListener;
import org.springframework.batch.item.ExecutionContext;
import org.springframework.batch.item.ItemStreamReader;
import org.springframework.batch.item.file.MultiResourceItemReader;
import org.springframework.core.io.FileSystemResource;
import org.springframework.core.io.Resource;

import java.util.Arrays;

/**
 * Reads the files the {@code prepare} step chose for this run (kept in the job's execution context, so a restart
 * reads exactly the same files, in the same order, and resumes at the saved file and line).
 */
final class JobFileListReader implements ItemStreamReader<CsvRecord>, StepExecutionListener {

    private final MultiResourceItemReader<CsvRecord> files;
    private final String source;

    JobFileListReader(MultiResourceItemReader<CsvRecord> files, String source) {
        this.files = files;
        this.source = source;
    }

    static String key(String source) {
        return "files." + source;
    }

    @Override
    public void beforeStep(StepExecution step) {
        String list = step.getJobExecution().getExecutionContext().getString(key(source), "");
        files.setResources(Arrays.stream(list.split("\n")).filter(p -> !p.isEmpty())
                .map(p -> (Resource) new FileSystemResource(p)).toArray(Resource[]::new));
    }

    @Override
    public void open(ExecutionContext context) {
        files.open(context);
    }

    @Override
    public CsvRecord read() throws Exception {
        return files.read();
    }

    @Override
    public void update(ExecutionContext context) {
        files.update(context);
    }

    @Override
    public void close() {
        files.close();
    }
}
