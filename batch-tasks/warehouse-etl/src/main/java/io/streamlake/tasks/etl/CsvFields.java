package io.streamlake.tasks.etl;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * A record's fields by column name, over its file's shared column index: a record costs its values array, not a map
 * of its own (a million-row file would otherwise build a million hash maps). Where a header repeats a name, the last
 * column of that name counts.
 */
final class CsvFields extends AbstractMap<String, String> {

    /** A file's columns: canonical name to position, and the name at each position (null where a later one repeats it). */
    record Columns(Map<String, Integer> positions, String[] names) {

        /** The columns of a header row, each name made canonical by {@code canonical}. */
        static Columns of(String[] header, java.util.function.UnaryOperator<String> canonical) {
            Map<String, Integer> positions = new HashMap<>();
            for (int i = 0; header != null && i < header.length; i++) {
                positions.put(canonical.apply(header[i]), i);
            }
            String[] names = new String[header == null ? 0 : header.length];
            positions.forEach((column, i) -> names[i] = column);
            return new Columns(positions, names);
        }

        int size() {
            return names.length;
        }
    }

    private final Columns columns;
    private final String[] values;

    CsvFields(Columns columns, String[] values) {
        this.columns = columns;
        this.values = values;
    }

    @Override
    public String get(Object key) {
        Integer i = columns.positions().get(key);
        return i == null ? null : values[i];
    }

    @Override
    public boolean containsKey(Object key) {
        return columns.positions().containsKey(key);
    }

    /** The fields' values without building an entry per field (the cleaner scans every row's values). */
    @Override
    public Collection<String> values() {
        String[] names = columns.names();
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
        String[] names = columns.names();
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
                return columns.positions().size();
            }
        };
    }
}
