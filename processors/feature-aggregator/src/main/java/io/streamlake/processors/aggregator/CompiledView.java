package io.streamlake.processors.aggregator;

import io.streamlake.core.contract.Contract;
import io.streamlake.core.contract.ContractExpression;
import io.streamlake.core.contract.ContractField;
import io.streamlake.core.contract.FieldType;
import io.streamlake.features.expression.FeatureExpression;
import io.streamlake.features.feast.EntityKey;
import io.streamlake.features.feast.FeastValue;
import io.streamlake.features.registry.FeatureRegistry;
import io.streamlake.features.registry.FeatureRegistryLoader;
import io.streamlake.features.registry.FeatureType;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One declared stream feature view compiled against the contract of its events; no Spring in here. What the view
 * reads from an event (its join keys, its time field, its filters), how its aggregations map onto shared
 * {@link Accumulator}s laid out in {@link Slots}, which accumulators each window sums up, and how each feature comes out
 * of the aggregates (as one, or by its expression). Everything that does not fit the contract is refused here, when
 * the app starts, with the definitions file and line. {@link ViewAggregator} holds the entities' state.
 */
final class CompiledView {

    final FeatureRegistry.FeatureView view;
    final String[] joinKeys;
    final int[] keyFields;
    final FeatureType[] keyTypes;
    final int timeField;
    final ContractExpression viewFilter;
    final ContractExpression[] filters;
    final long graceMillis;
    final long graceMinutes;
    /** Window lengths in minutes, longest first (finite windows only). */
    final long[] windowMinutes;
    final long longestMinutes;
    final long idleMillis;
    final Slots.Layout bucketLayout = new Slots.Layout();
    final Slots.Layout lifetimeLayout = new Slots.Layout();
    /** Per window (as {@link #windowMinutes}), the long slots its accumulators merge by plain addition. */
    final int[][] additive;
    /** Per window, the accumulators with more to merge than additive slots. */
    final Accumulator[][] perWindow;
    final List<Accumulator> windowed = new ArrayList<>();
    final List<Accumulator> lifetime = new ArrayList<>();
    /** Distinct accumulators in {@link #windowed} / {@link #lifetime} order, for the entity's DistinctValues. */
    final List<Accumulator.Distinct> windowedDistinct = new ArrayList<>();
    final List<Accumulator.Distinct> lifetimeDistinct = new ArrayList<>();
    final Aggregate[] aggregates;
    final String[] featureNames;
    final FeatureType[] featureTypes;
    /** Per feature, the aggregate it is (index), or -1 when it has an expression. */
    final int[] featureAggregate;
    final FeatureExpression[] featureExpressions;
    /** One copy of each entity key and distinct string value across the view's state. */
    final StringPool strings = new StringPool(1 << 16);

    /**
     * Compiles the view against the contract of its events; throws IllegalArgumentException naming the definitions
     * file and line of what does not fit (an unknown field, a sum of text, a dtype the aggregate cannot have).
     */
    CompiledView(FeatureRegistry registry, FeatureRegistry.FeatureView view, Contract contract, Duration defaultGrace) {
        this.view = view;
        FeatureRegistry.Aggregations declared = view.aggregations();
        List<FeatureRegistry.Entity> viewEntities = registry.entitiesOf(view);
        this.joinKeys = new String[viewEntities.size()];
        this.keyFields = new int[viewEntities.size()];
        this.keyTypes = new FeatureType[viewEntities.size()];
        for (int i = 0; i < viewEntities.size(); i++) {
            FeatureRegistry.Entity e = viewEntities.get(i);
            ContractField f = field(contract, e.joinKey(), view.location(), "join key of entity " + e.name());
            boolean fits = switch (e.valueType()) {
                case STRING -> f.type() == FieldType.STRING || f.type() == FieldType.UUID;
                case INT64, INT32 -> f.type() == FieldType.INT || f.type() == FieldType.LONG;
                default -> false;
            };
            if (!fits) {
                throw error(view.location(), "entity " + e.name() + " is " + e.valueType().feastName() + " but field "
                        + f.name() + " of " + contract.subject() + " is " + f.type());
            }
            joinKeys[i] = e.joinKey();
            keyFields[i] = f.index();
            keyTypes[i] = e.valueType();
        }
        String timeName = view.source().timestampField();
        ContractField time = timeName != null ? field(contract, timeName, view.location(), "timestamp_field")
                : contract.eventTime();
        if (time == null || time.type() != FieldType.TIMESTAMP_MILLIS) {
            throw error(view.location(), "feature view " + view.name() + " needs a timestamp field: the contract "
                    + contract.subject() + " names no event-time field, or " + timeName + " is not a timestamp");
        }
        this.timeField = time.index();
        this.viewFilter = declared.filter() == null ? null : filter(declared.filter(), contract, view.location());
        Duration grace = declared.grace() != null ? declared.grace() : defaultGrace;
        this.graceMillis = grace.toMillis();
        this.graceMinutes = Math.max(0, (grace.toSeconds() + 59) / 60);

        Set<Long> lengths = new java.util.TreeSet<>(java.util.Comparator.reverseOrder());
        for (FeatureRegistry.Aggregation a : declared.list()) {
            for (FeatureRegistry.Window w : a.windows()) {
                if (!w.lifetime()) {
                    lengths.add(w.minutes());
                }
            }
        }
        this.windowMinutes = lengths.stream().mapToLong(Long::longValue).toArray();
        this.longestMinutes = windowMinutes.length == 0 ? 0 : windowMinutes[0];
        // Idle entities are dropped once nothing of theirs can be in a window (lifetime-only views: after the TTL).
        this.idleMillis = (longestMinutes > 0 ? Duration.ofMinutes(longestMinutes) : view.ttl()).toMillis() + graceMillis;

        Map<String, Integer> filterIndex = new LinkedHashMap<>();
        List<ContractExpression> filterList = new ArrayList<>();
        Map<String, Accumulator> windowedByKey = new HashMap<>();
        Map<String, Accumulator> lifetimeByKey = new HashMap<>();
        List<Set<Accumulator>> needs = new ArrayList<>();
        for (int i = 0; i < windowMinutes.length; i++) {
            needs.add(new java.util.LinkedHashSet<>());
        }
        Map<String, FeatureRegistry.Aggregate> declaredAggregates = declared.aggregates();
        this.aggregates = new Aggregate[declaredAggregates.size()];
        Map<String, FeatureExpression.Name> names = new HashMap<>();
        int k = 0;
        for (Map.Entry<String, FeatureRegistry.Aggregate> entry : declaredAggregates.entrySet()) {
            FeatureRegistry.Aggregation a = entry.getValue().aggregation();
            FeatureRegistry.Window w = entry.getValue().window();
            int filter = -1;
            if (a.filter() != null) {
                Integer known = filterIndex.get(a.filter());
                if (known == null) {
                    known = filterList.size();
                    filterList.add(filter(a.filter(), contract, a.location()));
                    filterIndex.put(a.filter(), known);
                }
                filter = known;
            }
            ContractField column = a.column() == null ? null : field(contract, a.column(), a.location(), "column");
            Map<String, Accumulator> pool = w.lifetime() ? lifetimeByKey : windowedByKey;
            Aggregate aggregate = aggregate(a, column, filter, pool, w.lifetime() ? null : needs.get(indexOf(w.minutes())));
            if (aggregate.first instanceof Accumulator.Distinct d) {
                d.span = Math.max(d.span, w.minutes());
            }
            aggregate.name = entry.getKey();
            aggregate.window = w.lifetime() ? -1 : indexOf(w.minutes());
            aggregates[k] = aggregate;
            names.put(entry.getKey(), new FeatureExpression.Name(k, aggregate.kind));
            k++;
        }
        names.put(FeatureRegistryLoader.EVENT_TIMESTAMP, new FeatureExpression.Name(k, FeatureExpression.Kind.TIME));
        this.filters = filterList.toArray(new ContractExpression[0]);
        for (Accumulator a : windowedByKey.values()) {
            a.reserve(bucketLayout);
            windowed.add(a);
            if (a instanceof Accumulator.Distinct d) {
                windowedDistinct.add(d);
            }
        }
        for (Accumulator a : lifetimeByKey.values()) {
            a.reserve(lifetimeLayout);
            lifetime.add(a);
            if (a instanceof Accumulator.Distinct d) {
                lifetimeDistinct.add(d);
            }
        }
        for (Aggregate g : aggregates) {
            if (g.first instanceof Accumulator.Distinct d) {
                g.distinct = (g.window < 0 ? lifetimeDistinct : windowedDistinct).indexOf(d);
            }
        }
        this.perWindow = needs.stream().map(s -> s.stream().filter(Accumulator::mergesMore).toArray(Accumulator[]::new))
                .toArray(Accumulator[][]::new);
        this.additive = needs.stream().map(s -> s.stream().flatMapToInt(a -> Arrays.stream(a.additiveSlots())).toArray())
                .toArray(int[][]::new);

        int n = view.features().size();
        this.featureNames = new String[n];
        this.featureTypes = new FeatureType[n];
        this.featureAggregate = new int[n];
        this.featureExpressions = new FeatureExpression[n];
        List<String> aggregateNames = Arrays.stream(aggregates).map(x -> x.name).toList();
        for (int i = 0; i < n; i++) {
            FeatureRegistry.Feature f = view.features().get(i);
            featureNames[i] = f.name();
            featureTypes[i] = f.type();
            FeatureExpression.Kind kind;
            if (f.expression() != null) {
                try {
                    featureExpressions[i] = FeatureExpression.compile(f.expression(), names::get);
                } catch (IllegalArgumentException e) {
                    throw error(f.location(), e.getMessage());
                }
                featureAggregate[i] = -1;
                kind = featureExpressions[i].kind();
            } else {
                featureAggregate[i] = aggregateNames.indexOf(f.name());
                Aggregate a = aggregates[featureAggregate[i]];
                kind = a.kind;
                if (a.function == FeatureRegistry.Function.SUM && a.exactWhole == Boolean.FALSE
                        && (f.type() == FeatureType.INT64 || f.type() == FeatureType.INT32)) {
                    throw error(f.location(), "feature " + f.name() + " sums a decimal or double column; its dtype is"
                            + " Float64 (or Float32), not " + f.type().feastName());
                }
            }
            if (!FeatureExpression.fits(kind, f.type())) {
                throw error(f.location(), "feature " + f.name() + " is declared " + f.type().feastName() + " but gives a "
                        + kind.name().toLowerCase());
            }
        }
    }

    private int indexOf(long minutes) {
        for (int i = 0; i < windowMinutes.length; i++) {
            if (windowMinutes[i] == minutes) {
                return i;
            }
        }
        throw new IllegalStateException("no window of " + minutes + " minutes");
    }

    /** An aggregate: which accumulators it reads, and how its value comes out of them. */
    static final class Aggregate {
        String name;
        /** Index into the windows, or -1 for the lifetime. */
        int window;
        FeatureRegistry.Function function;
        FeatureExpression.Kind kind;
        /** For sums: TRUE when whole numbers (an integer column), FALSE otherwise. */
        Boolean exactWhole;
        Accumulator first;
        Accumulator second;
        /** Index of its Distinct among the view's windowed or lifetime distinct accumulators. */
        int distinct = -1;
        boolean textValue;
    }

    private Aggregate aggregate(FeatureRegistry.Aggregation a, ContractField column, int filter,
                                Map<String, Accumulator> pool, Set<Accumulator> needs) {
        Aggregate g = new Aggregate();
        g.function = a.function();
        String where = a.location();
        String scope = filter + "|" + (column == null ? "" : column.name()) + "|";
        boolean numeric = column != null && switch (column.type()) {
            case DECIMAL, INT, LONG, DOUBLE -> true;
            default -> false;
        };
        switch (a.function()) {
            case COUNT -> {
                g.first = column == null ? shared(pool, "rows" + scope, () -> new Accumulator.Count(filter, -1))
                        : shared(pool, "values" + scope, () -> new Accumulator.Count(filter, column.index()));
                g.kind = FeatureExpression.Kind.NUMBER;
            }
            case SUM, AVG -> {
                if (!numeric) {
                    throw error(where, a.name() + ": " + a.function().yamlName() + " needs a number column; "
                            + column.name() + " is " + column.type());
                }
                g.first = column.type() == FieldType.DOUBLE
                        ? shared(pool, "dsum" + scope, () -> new Accumulator.DoubleSum(filter, column.index()))
                        : shared(pool, "sum" + scope, () -> new Accumulator.ExactSum(filter, column.index(),
                        column.type() == FieldType.DECIMAL ? column.scale() : 0));
                g.exactWhole = column.type() == FieldType.INT || column.type() == FieldType.LONG;
                if (a.function() == FeatureRegistry.Function.AVG) {
                    g.second = shared(pool, "values" + scope, () -> new Accumulator.Count(filter, column.index()));
                }
                g.kind = FeatureExpression.Kind.NUMBER;
            }
            case MIN, MAX -> {
                if (column.type() == FieldType.BOOLEAN) {
                    throw error(where, a.name() + ": " + a.function().yamlName() + " of a boolean column");
                }
                boolean max = a.function() == FeatureRegistry.Function.MAX;
                g.first = shared(pool, (max ? "max" : "min") + scope, () -> new Accumulator.Extreme(filter, column.index(), max));
                g.kind = kindOf(column);
                g.textValue = column.type() == FieldType.UUID;
            }
            case LAST -> {
                g.first = shared(pool, "last" + scope, () -> new Accumulator.Last(filter, column.index()));
                g.kind = kindOf(column);
                g.textValue = column.type() == FieldType.UUID;
            }
            case STDDEV -> {
                if (!numeric) {
                    throw error(where, a.name() + ": stddev needs a number column; " + column.name() + " is " + column.type());
                }
                g.first = shared(pool, "moments" + scope, () -> new Accumulator.Moments(filter, column.index()));
                g.kind = FeatureExpression.Kind.NUMBER;
            }
            case COUNT_DISTINCT -> {
                g.first = shared(pool, "distinct" + scope + a.exactUpTo(),
                        () -> new Accumulator.Distinct(filter, column.index(), a.exactUpTo()));
                g.kind = FeatureExpression.Kind.NUMBER;
            }
        }
        if (needs != null) {
            needs.add(g.first);
            if (g.second != null) {
                needs.add(g.second);
            }
        }
        return g;
    }

    private static Accumulator shared(Map<String, Accumulator> pool, String key, java.util.function.Supplier<Accumulator> create) {
        return pool.computeIfAbsent(key, x -> create.get());
    }

    private static FeatureExpression.Kind kindOf(ContractField f) {
        return switch (f.type()) {
            case STRING, UUID -> FeatureExpression.Kind.STRING;
            case TIMESTAMP_MILLIS -> FeatureExpression.Kind.TIME;
            case BOOLEAN -> FeatureExpression.Kind.BOOL;
            default -> FeatureExpression.Kind.NUMBER;
        };
    }

    private static ContractField field(Contract contract, String name, String where, String what) {
        ContractField f = contract.field(name);
        if (f == null) {
            throw error(where, what + " '" + name + "' is not a field of the contract " + contract.subject()
                    + " (fields: " + contract.fields().stream().map(ContractField::name).toList() + ")");
        }
        return f;
    }

    private static ContractExpression filter(String text, Contract contract, String where) {
        try {
            return ContractExpression.parse(text, contract);
        } catch (IllegalArgumentException e) {
            throw error(where, "filter " + e.getMessage());
        }
    }

    private static IllegalArgumentException error(String where, String message) {
        return new IllegalArgumentException((where == null ? "" : where + ": ") + message);
    }

    String name() {
        return view.name();
    }

    /** The entity's key in the map: the join key's value, or a list of them for several join keys; null if any is absent. */
    Object key(Object[] values) {
        if (keyFields.length == 1) {
            return keyValue(values[keyFields[0]], keyTypes[0]);
        }
        Object[] parts = new Object[keyFields.length];
        for (int i = 0; i < keyFields.length; i++) {
            parts[i] = keyValue(values[keyFields[i]], keyTypes[i]);
            if (parts[i] == null) {
                return null;
            }
        }
        return List.of(parts);
    }

    private Object keyValue(Object v, FeatureType type) {
        if (v == null) {
            return null;
        }
        if (type == FeatureType.STRING) {
            String s = v.toString();
            return s.isEmpty() ? null : strings.canonical(s);
        }
        return ((Number) v).longValue();
    }

    EntityKey entityKey(Object key) {
        if (keyFields.length == 1) {
            return EntityKey.of(joinKeys[0], keyFeast(key, keyTypes[0]));
        }
        List<?> parts = (List<?>) key;
        Map<String, FeastValue> keys = new LinkedHashMap<>();
        for (int i = 0; i < joinKeys.length; i++) {
            keys.put(joinKeys[i], keyFeast(parts.get(i), keyTypes[i]));
        }
        return new EntityKey(keys);
    }

    private static FeastValue keyFeast(Object v, FeatureType type) {
        return switch (type) {
            case STRING -> FeastValue.ofString((String) v);
            case INT32 -> FeastValue.ofInt32(((Long) v).intValue());
            default -> FeastValue.ofInt64((Long) v);
        };
    }

    /** The message key of an entity's row: its join key's value as text, several joined by ':'. */
    static String messageKey(Object key) {
        if (key instanceof List<?> parts) {
            StringBuilder b = new StringBuilder();
            for (Object p : parts) {
                b.append(b.length() == 0 ? "" : ":").append(p);
            }
            return b.toString();
        }
        return key.toString();
    }


    /** How far back a restart must replay to rebuild this view: the longest window (or the TTL) and the grace. */
    Duration replay() {
        return Duration.ofMillis(idleMillis);
    }

    /** Memory per entity and replay length, for the log and the docs. */
    String describeMemory() {
        long buckets = longestMinutes + graceMinutes + 1;
        return String.format("%s: per entity at most %d minute buckets of about %d bytes (%s KB)%s; entities idle for %s"
                        + " dropped; a restart replays %s of input", view.name(), longestMinutes == 0 ? 0 : buckets,
                bucketLayout.bytesPerBucket(), longestMinutes == 0 ? "0" : String.valueOf(buckets * bucketLayout.bytesPerBucket() / 1024),
                windowedDistinct.isEmpty() && lifetimeDistinct.isEmpty() ? ""
                        : ", plus the distinct values of its longest count_distinct window (sketched beyond the bound)",
                replay(), replay());
    }
}
