package io.streamlake.processors.fraud;

import io.streamlake.common.json.Json;
import io.streamlake.core.contract.Contract;
import io.streamlake.core.contract.ContractField;
import io.streamlake.features.expression.FeatureExpression;
import io.streamlake.features.feast.FeastValue;
import io.streamlake.features.redis.OnlineFeatureReader;
import io.streamlake.features.redis.OnlineFeatureReader.FeatureRef;
import io.streamlake.features.redis.OnlineFeatureReader.FeatureValue;
import io.streamlake.models.FraudRules;
import io.streamlake.models.ModelInputs;
import ml.dmlc.xgboost4j.java.XGBoostError;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Scores a poll's events: every customer's features read once for the whole poll ({@link FeatureLookup}, one pipelined
 * round trip), the champion model over the event's fields and those features ({@link ModelInputs}, one prediction call
 * for the poll), and the declared rules ({@link FraudRules}). An event is an alert when the model's score reaches its
 * threshold or a rule fires; its reasons say which ({@code MODEL_SCORE} and the rule codes).
 * <p>A view without a row for the customer, or with one older than its TTL, gives the model missing values (NaN),
 * as the training set has NULL where nothing was known in time. When none of the model's views has a usable row the
 * event is decided by the rules alone, and its {@code basis} says why: no model registered yet
 * ({@code rules_only:no_model}), no online row at all ({@code rules_only:features_missing}, e.g. a customer the
 * aggregator has not seen yet), or only rows older than their TTL ({@code rules_only:features_stale}). Events of other activities (logins, deposits) are passed on
 * unscored ({@code basis: not_scored}). Spring-free.
 */
final class FraudScorer {

    /** Reads features for customers: per reference, one value per customer, in order. */
    @FunctionalInterface
    interface FeatureLookup {
        List<List<FeatureValue>> read(List<FeatureRef> refs, List<String> customers);
    }

    /** One event's outcome; {@code scored} is the event's JSON with the outcome's fields added. */
    record Decision(String eventId, String customer, Instant time, String activity, Double score, boolean alert,
                    List<String> reasons, String basis, Long modelVersion, byte[] scored) {
    }

    static final String MODEL_REASON = "MODEL_SCORE";

    private final Contract contract;
    private final FraudRules rules;
    private final ChampionModel champion;
    private final FeatureLookup lookup;
    private final Set<String> activities;
    private final Double thresholdOverride;
    private final int id;
    private final int customer;
    private final int time;
    private final int activity;
    private final int gameType;
    private final int bet;
    private final int win;
    private final int bonus;

    FraudScorer(Contract contract, FraudRules rules, ChampionModel champion, FeatureLookup lookup, Set<String> activities,
                Double thresholdOverride) {
        this.contract = contract;
        this.rules = rules;
        this.champion = champion;
        this.lookup = lookup;
        this.activities = Set.copyOf(activities);
        this.thresholdOverride = thresholdOverride;
        this.id = index("event_id");
        this.customer = index("customer_id");
        this.time = index("activity_datetime");
        this.activity = index("game_activity");
        this.gameType = index("game_type");
        this.bet = index("bet_amount");
        this.win = index("win_amount");
        this.bonus = index("bonus_amount");
    }

    private int index(String field) {
        ContractField f = contract.field(field);
        if (f == null) {
            throw new IllegalArgumentException("contract " + contract.subject() + " has no field '" + field
                    + "': fraud-scorer scores casino-activity events");
        }
        return f.index();
    }

    /**
     * Decides every event of a poll ({@code events}: the contract's values of each), in order.
     *
     * @param json the i-th event as the contract's JSON (its bytes as received when it came as JSON: not written again)
     */
    List<Decision> score(List<Object[]> events, java.util.function.IntFunction<byte[]> json) throws XGBoostError {
        ChampionModel.Loaded model = champion.current(); // one model for the whole poll
        List<String> refs = new ArrayList<>(rules.features());
        if (model != null) {
            model.features().stream().filter(f -> !refs.contains(f)).forEach(refs::add);
        }
        Map<String, Integer> customers = new LinkedHashMap<>();
        for (Object[] e : events) {
            if (activities.contains(text(e[activity]))) {
                customers.putIfAbsent(text(e[customer]), customers.size());
            }
        }
        List<List<FeatureValue>> values = refs.isEmpty() || customers.isEmpty() ? List.of()
                : lookup.read(refs.stream().map(FeatureRef::parse).toList(), new ArrayList<>(customers.keySet()));

        ModelInputs inputs = model == null ? null : new ModelInputs(model.features());
        // where each model feature is in the lookup's answer, found once per poll, not per event
        int[] modelRefs = model == null ? new int[0] : model.features().stream().mapToInt(refs::indexOf).toArray();
        Number[] usable = new Number[modelRefs.length];
        int width = inputs == null ? 0 : inputs.size();
        float[] matrix = new float[events.size() * width];
        int[] row = new int[events.size()];
        String[] basis = new String[events.size()];
        List<List<String>> fired = new ArrayList<>(events.size());
        int rows = 0;
        for (int i = 0; i < events.size(); i++) {
            Object[] e = events.get(i);
            Integer c = customers.get(text(e[activity]) != null && activities.contains(text(e[activity])) ? text(e[customer]) : null);
            row[i] = -1;
            if (c == null) {
                basis[i] = "not_scored";
                fired.add(List.of());
                continue;
            }
            Object[] ruleValues = new Object[FraudRules.EVENT_NAMES.size() + rules.features().size()];
            ruleValues[0] = text(e[activity]);
            ruleValues[1] = text(e[gameType]);
            ruleValues[2] = amount(e[bet]);
            ruleValues[3] = amount(e[win]);
            ruleValues[4] = amount(e[bonus]);
            for (int f = 0; f < rules.features().size(); f++) {
                FeatureValue v = values.get(f).get(c);
                ruleValues[FraudRules.EVENT_NAMES.size() + f] = v.value() == null ? null : FeatureExpression.fromFeast(v.value());
            }
            fired.add(rules.fired(ruleValues));
            if (model == null) {
                basis[i] = "rules_only:no_model";
                continue;
            }
            // per view: a row within its TTL gives values; a missing or stale row gives none (NaN to the model), as
            // the training set has NULL there; with no usable row at all the model has nothing to go on
            boolean anyFresh = false;
            boolean anyStale = false;
            for (int f = 0; f < modelRefs.length; f++) {
                FeatureValue v = values.get(modelRefs[f]).get(c);
                usable[f] = null;
                if (v.eventTimestamp() == null) {
                    continue;
                }
                if (v.status() == OnlineFeatureReader.Status.OUTSIDE_MAX_AGE) {
                    anyStale = true;
                    continue;
                }
                anyFresh = true;
                Object value = v.value() == null ? null : FeatureExpression.fromFeast(v.value());
                usable[f] = value instanceof Number n ? n : null;
            }
            String state = anyFresh ? "fresh" : anyStale ? "stale" : "missing";
            if (!state.equals("fresh")) {
                basis[i] = "rules_only:features_" + state;
                continue;
            }
            inputs.fill(matrix, rows * width, text(e[activity]), amount(e[bet]), amount(e[win]), amount(e[bonus]), f -> usable[f]);
            row[i] = rows++;
            basis[i] = "model_and_rules";
        }
        double[] scores = rows == 0 ? new double[0] : model.model().score(java.util.Arrays.copyOf(matrix, rows * width));
        double threshold = model == null ? Double.NaN : thresholdOverride != null ? thresholdOverride : model.threshold();

        List<Decision> decisions = new ArrayList<>(events.size());
        for (int i = 0; i < events.size(); i++) {
            Object[] e = events.get(i);
            Double score = row[i] < 0 ? null : scores[row[i]];
            List<String> reasons = new ArrayList<>(fired.get(i));
            if (score != null && score >= threshold) {
                reasons.add(0, MODEL_REASON);
            }
            boolean alert = !reasons.isEmpty();
            Long version = model == null || basis[i].equals("not_scored") ? null : model.version();
            StringBuilder fields = new StringBuilder();
            fields.append("\"fraud_score\":").append(score == null ? "null" : score.toString())
                    .append(",\"fraud_alert\":").append(alert)
                    .append(",\"fraud_reasons\":[");
            for (int r = 0; r < reasons.size(); r++) {
                fields.append(r == 0 ? "" : ",").append(Json.quoted(reasons.get(r)));
            }
            fields.append("],\"fraud_basis\":").append(Json.quoted(basis[i]))
                    .append(",\"model_version\":").append(version == null ? "null" : version.toString());
            decisions.add(new Decision(text(e[id]), text(e[customer]), e[time] instanceof Instant t ? t : null, text(e[activity]),
                    score, alert, List.copyOf(reasons), basis[i], version, Json.withFields(json.apply(i), fields.toString())));
        }
        return decisions;
    }

    private static String text(Object v) {
        return v == null ? null : v.toString();
    }

    private static BigDecimal amount(Object v) {
        return v instanceof BigDecimal d ? d : v instanceof Number n ? new BigDecimal(n.toString()) : BigDecimal.ZERO;
    }

    /** A customer id as the online store's entity key value. */
    static FeastValue entity(String customerId) {
        return FeastValue.ofString(customerId);
    }
}
