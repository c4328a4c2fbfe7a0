package io.streamlake.models;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/**
 * What the fraud model reads, in order: the event's own fields ({@link #EVENT_INPUTS}), then its features
 * ({@code view:feature}, point in time). The same order at training (from the training set) and at scoring (the
 * event and the online features), so a model is only ever fed what it was trained on. Missing values are NaN, which
 * XGBoost's trees route by what they learned of missing values, not as zeros. Spring-free.
 */
public final class ModelInputs {

    /** The event's own inputs. */
    public static final List<String> EVENT_INPUTS = List.of("is_bet", "is_win", "is_bonus", "bet_amount", "win_amount",
            "bonus_amount");

    private final List<String> features;

    /** @param features the model's features, {@code view:feature} */
    public ModelInputs(List<String> features) {
        this.features = List.copyOf(features);
    }

    public List<String> features() {
        return features;
    }

    /** Every input's name, in the model's order. */
    public List<String> names() {
        List<String> names = new ArrayList<>(EVENT_INPUTS);
        names.addAll(features);
        return names;
    }

    public int size() {
        return EVENT_INPUTS.size() + features.size();
    }

    /**
     * Fills {@code row} from {@code offset}: the event's activity and amounts (null amounts are 0, as the casino table
     * stores them), then each feature's value, {@code feature.apply(i)} for the i-th of {@link #features()} (null: NaN).
     */
    public void fill(float[] row, int offset, String activity, BigDecimal bet, BigDecimal win, BigDecimal bonus,
                     java.util.function.IntFunction<? extends Number> feature) {
        fillEvent(row, offset, activity, value(bet), value(win), value(bonus));
        for (int i = 0; i < features.size(); i++) {
            Number v = feature.apply(i);
            row[offset + EVENT_INPUTS.size() + i] = v == null ? Float.NaN : v.floatValue();
        }
    }

    public static void fillEvent(float[] row, int offset, String activity, float bet, float win, float bonus) {
        row[offset] = "bet".equals(activity) ? 1 : 0;
        row[offset + 1] = "win".equals(activity) ? 1 : 0;
        row[offset + 2] = "bonus".equals(activity) ? 1 : 0;
        row[offset + 3] = bet;
        row[offset + 4] = win;
        row[offset + 5] = bonus;
    }

    private static float value(BigDecimal amount) {
        return amount == null ? 0 : amount.floatValue();
    }
}
