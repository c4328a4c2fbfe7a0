package io.streamlake.tasks.etl;

import org.springframework.batch.item.file.LineMapper;
import org.springframework.batch.item.file.transform.DelimitedLineTokenizer;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Maps CSV lines to fields by the file's own header (column order and spelling may differ between exports:
 * {@link SourceRowCleaner#canonicalColumn} resolves them). A line that does not split into the header's
 * columns becomes a record with a {@code problem}, never an exception, so one bad line cannot stop a load.
 */
final class HeaderMappedLineMapper implements LineMapper<CsvRecord> {

    private final DelimitedLineTokenizer tokenizer;
    private final Supplier<String> currentFile;
    private List<String> columns = List.of();

    HeaderMappedLineMapper(char delimiter, char quote, Supplier<String> currentFile) {
        this.tokenizer = new DelimitedLineTokenizer(String.valueOf(delimiter));
        this.tokenizer.setQuoteCharacter(quote);
        this.tokenizer.setStrict(false);
        this.currentFile = currentFile;
    }

    /** The header line of the file being read (called by the reader for each file, also on restart). */
    void header(String line) {
        List<String> names = new ArrayList<>();
        for (String cell : tokenizer.tokenize(line).getValues()) {
            names.add(SourceRowCleaner.canonicalColumn(cell));
        }
        columns = names;
    }

    @Override
    public CsvRecord mapLine(String line, int lineNumber) {
        String file = currentFile.get();
        if (line.isBlank()) {
            return new CsvRecord(file, lineNumber, Map.of(), line, "blank line");
        }
        String[] values;
        try {
            values = tokenizer.tokenize(line).getValues();
        } catch (RuntimeException e) {
            return new CsvRecord(file, lineNumber, Map.of(), line, "cannot be split into fields: " + e.getMessage());
        }
        if (values.length != columns.size()) {
            return new CsvRecord(file, lineNumber, Map.of(), line, values.length + " fields where the header has "
                    + columns.size());
        }
        Map<String, String> fields = new LinkedHashMap<>();
        for (int i = 0; i < values.length; i++) {
            fields.put(columns.get(i), values[i]);
        }
        return new CsvRecord(file, lineNumber, fields, line, null);
    }
}
