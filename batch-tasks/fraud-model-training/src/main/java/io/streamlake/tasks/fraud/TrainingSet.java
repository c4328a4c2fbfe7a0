package io.streamlake.tasks.fraud;

import io.streamlake.models.FraudRules;
import io.streamlake.models.ModelInputs;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The training set in memory, column by column (a million rows of a dozen inputs is about 60 MB of floats): each
 * example's event id, customer, time, kind and the raw values of every input column of the file, read from the
 * {@code training-set} step's TabSeparatedWithNames file. Rows are in time order. Spring-free.
 */
final class TrainingSet {

    private static final DateTimeFormatter CLICKHOUSE_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss[.SSS]");

    final String[] eventIds;
    final String[] customers;
    final long[] times;
    final String[] kinds;
    final String[] activities;
    /** Each example's game type, null for none. */
    final String[] gameTypes;
    /** Feature columns by name (as the training set names them), NaN for NULL. */
    private final Map<String, float[]> columns;
    private final float[] bets;
    private final float[] wins;
    private final float[] bonuses;
    final int size;

    private TrainingSet(int size, String[] eventIds, String[] customers, long[] times, String[] kinds, String[] activities,
                        String[] gameTypes, float[] bets, float[] wins, float[] bonuses, Map<String, float[]> columns) {
        this.size = size;
        this.eventIds = eventIds;
        this.customers = customers;
        this.times = times;
        this.kinds = kinds;
        this.activities = activities;
        this.gameTypes = gameTypes;
        this.bets = bets;
        this.wins = wins;
        this.bonuses = bonuses;
        this.columns = columns;
    }

    static TrainingSet read(Path file) throws IOException {
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String header = in.readLine();
            if (header == null) {
                throw new IOException(file + " is empty");
            }
            List<String> names = Arrays.asList(header.split("\t", -1));
            int fixed = TrainingExamples.COLUMNS.size();
            if (!names.subList(0, fixed).equals(TrainingExamples.COLUMNS)) {
                throw new IOException(file + " starts with " + names + ", not " + TrainingExamples.COLUMNS);
            }
            List<String> ids = new ArrayList<>();
            List<String> customers = new ArrayList<>();
            List<String> kinds = new ArrayList<>();
            List<String> activities = new ArrayList<>();
            List<String> gameTypes = new ArrayList<>();
            long[] times = new long[1024];
            float[][] values = new float[names.size()][1024];
            int n = 0;
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                String[] f = line.split("\t", -1);
                if (n == times.length) {
                    times = Arrays.copyOf(times, n * 2);
                    for (int c = 0; c < values.length; c++) {
                        values[c] = Arrays.copyOf(values[c], n * 2);
                    }
                }
                ids.add(f[0]);
                customers.add(f[1].intern());
                times[n] = LocalDateTime.parse(f[2], CLICKHOUSE_TIME).toInstant(ZoneOffset.UTC).toEpochMilli();
                activities.add(f[3].intern());
                kinds.add(f[7].intern());
                gameTypes.add(f[8].equals("\\N") || f[8].isEmpty() ? null : f[8].intern());
                for (int c = 4; c < names.size(); c++) {
                    if (c != 7 && c != 8) {
                        values[c][n] = f[c].equals("\\N") || f[c].isEmpty() ? Float.NaN : Float.parseFloat(f[c]);
                    }
                }
                n++;
            }
            Map<String, float[]> columns = new HashMap<>();
            for (int c = fixed; c < names.size(); c++) {
                columns.put(names.get(c), Arrays.copyOf(values[c], n));
            }
            return new TrainingSet(n, ids.toArray(String[]::new), customers.toArray(String[]::new), Arrays.copyOf(times, n),
                    kinds.toArray(String[]::new), activities.toArray(String[]::new), gameTypes.toArray(String[]::new),
                    Arrays.copyOf(values[4], n),
                    Arrays.copyOf(values[5], n), Arrays.copyOf(values[6], n), columns);
        }
    }

    /** The column of {@code view:feature}: named by the feature, or {@code view__feature} when two views share it. */
    private float[] column(String ref) {
        String[] vf = ref.split(":", 2);
        float[] c = columns.get(vf[1]);
        if (c == null) {
            c = columns.get(vf[0] + "__" + vf[1]);
        }
        if (c == null) {
            throw new IllegalArgumentException("the training set has no column for " + ref + " (columns: " + columns.keySet() + ")");
        }
        return c;
    }

    /** Rows {@code from} (inclusive) to {@code to} (exclusive) as the model's input matrix, row-major. */
    float[] matrix(ModelInputs inputs, int from, int to) {
        int width = inputs.size();
        float[] m = new float[(to - from) * width];
        List<float[]> featureColumns = inputs.features().stream().map(this::column).toList();
        for (int r = from; r < to; r++) {
            int o = (r - from) * width;
            ModelInputs.fillEvent(m, o, activities[r], bets[r], wins[r], bonuses[r]);
            for (int i = 0; i < featureColumns.size(); i++) {
                m[o + ModelInputs.EVENT_INPUTS.size() + i] = featureColumns.get(i)[r];
            }
        }
        return m;
    }

    /**
     * The codes of the rules that fire for each of rows {@code from} to {@code to}, as the scorer would decide them with
     * these features online (a NULL feature is a null operand: a comparison with it is false).
     */
    List<List<String>> firedRules(FraudRules rules, int from, int to) {
        List<float[]> featureColumns = rules.features().stream().map(this::column).toList();
        int events = FraudRules.EVENT_NAMES.size();
        Object[] values = new Object[events + featureColumns.size()];
        List<List<String>> fired = new ArrayList<>(to - from);
        for (int r = from; r < to; r++) {
            values[0] = activities[r];
            values[1] = gameTypes[r];
            values[2] = orZero(bets[r]);
            values[3] = orZero(wins[r]);
            values[4] = orZero(bonuses[r]);
            for (int i = 0; i < featureColumns.size(); i++) {
                float v = featureColumns.get(i)[r];
                values[events + i] = Float.isNaN(v) ? null : (Object) (double) v;
            }
            fired.add(rules.fired(values));
        }
        return fired;
    }

    /** An absent amount is 0 to the rules, as in the scorer. */
    private static Double orZero(float amount) {
        return Float.isNaN(amount) ? 0.0 : (double) amount;
    }

    /** 1 for an anomaly, 0 for {@code normal}, rows {@code from} to {@code to}. */
    float[] labels(String normal, int from, int to) {
        float[] y = new float[to - from];
        for (int r = from; r < to; r++) {
            y[r - from] = normal.equals(kinds[r]) ? 0 : 1;
        }
        return y;
    }
}
