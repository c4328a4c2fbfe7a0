package io.streamlake.tasks.etl;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits one CSV record (which may span lines) into its fields, RFC 4180 style: a field that starts with the quote
 * character runs to the matching quote, a doubled quote inside it is one quote, and delimiters and line breaks
 * inside it are text. A quote elsewhere in a field is text. Fields are not trimmed (the cleaners do that).
 * A quoted field left open at the end of the record is an error, reported by {@link #split} returning null.
 */
final class CsvRecordTokenizer {

    private final char delimiter;
    private final char quote;

    CsvRecordTokenizer(char delimiter, char quote) {
        if (delimiter == quote) {
            throw new IllegalArgumentException("the delimiter and the quote character must differ");
        }
        this.delimiter = delimiter;
        this.quote = quote;
    }

    /** The record's fields, or null when a quoted field is not closed. */
    String[] split(String record) {
        List<String> fields = new ArrayList<>(16);
        if (record.indexOf(quote) < 0) { // the common case: no quoting at all
            int from = 0;
            for (int at; (at = record.indexOf(delimiter, from)) >= 0; from = at + 1) {
                fields.add(record.substring(from, at));
            }
            fields.add(record.substring(from));
            return fields.toArray(new String[0]);
        }
        StringBuilder field = new StringBuilder();
        int i = 0;
        int n = record.length();
        while (true) {
            field.setLength(0);
            if (i < n && record.charAt(i) == quote) {
                i++;
                while (true) {
                    if (i >= n) {
                        return null; // the quoted field never closes
                    }
                    char c = record.charAt(i++);
                    if (c == quote) {
                        if (i < n && record.charAt(i) == quote) {
                            field.append(quote);
                            i++;
                        } else {
                            break;
                        }
                    } else {
                        field.append(c);
                    }
                }
            }
            while (i < n && record.charAt(i) != delimiter) { // unquoted text, or text after a closing quote
                field.append(record.charAt(i++));
            }
            fields.add(field.toString());
            if (i >= n) {
                return fields.toArray(new String[0]);
            }
            i++; // the delimiter
        }
    }

    /**
     * Whether a quoted field is still open at the end of {@code line}, by the same rules {@link #split} reads fields
     * with: the record then continues on the next line. {@code openAtStart} says whether the line itself begins inside
     * a quoted field (it continues a record); a record's first line begins at the start of a field.
     */
    boolean quotedFieldOpenAfter(String line, boolean openAtStart) {
        if (line.indexOf(quote) < 0) {
            return openAtStart; // most lines: no quote, nothing opens or closes
        }
        boolean quoted = openAtStart;
        boolean fieldStart = !openAtStart;
        int n = line.length();
        for (int i = 0; i < n; i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c == quote) {
                    if (i + 1 < n && line.charAt(i + 1) == quote) {
                        i++; // a doubled quote is one quote of text
                    } else {
                        quoted = false;
                    }
                }
            } else if (c == delimiter) {
                fieldStart = true;
            } else {
                quoted = c == quote && fieldStart; // elsewhere in a field a quote is text
                fieldStart = false;
            }
        }
        return quoted;
    }
}
