package io.streamlake.tasks.etl;

import org.springframework.batch.item.file.separator.DefaultRecordSeparatorPolicy;

/**
 * Quoted fields may span lines (a comment with a line break), but an unbalanced quote may not swallow the rest of
 * the file: after {@code maxLines} lines the record ends, and the line mapper rejects it as malformed.
 */
final class BoundedMultiLineRecordPolicy extends DefaultRecordSeparatorPolicy {

    private final int maxLines;

    BoundedMultiLineRecordPolicy(int maxLines) {
        this.maxLines = maxLines;
    }

    @Override
    public boolean isEndOfRecord(String record) {
        return super.isEndOfRecord(record) || record.chars().filter(c -> c == '\n').count() >= maxLines - 1;
    }
}
