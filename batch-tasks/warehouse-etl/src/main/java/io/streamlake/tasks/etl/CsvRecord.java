package io.streamlake.tasks.etl;

import java.util.Map;

/**
 * One record of a CSV file: where it is ({@code file}, the {@code line} it ends on), its fields by normalized
 * header name, and the raw text; {@code problem} says why it could not be split into fields (then fields is empty).
 */
public record CsvRecord(String file, long line, Map<String, String> fields, String raw, String problem) {

    /** The field under its canonical name, trimmed; null when absent or blank. */
    public String get(String name) {
        String v = fields.get(name);
        if (v == null) {
            return null;
        }
        String t = v.strip();
        return t.isEmpty() ? null : t;
    }
}
