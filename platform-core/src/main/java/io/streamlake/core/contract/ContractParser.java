package io.streamlake.core.contract;

import io.streamlake.core.event.RejectionReason;
import org.apache.avro.JsonProperties;
import org.apache.avro.LogicalType;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.SchemaParseException;
import org.springframework.expression.Expression;
import org.springframework.expression.ParseException;
import org.springframework.expression.spel.standard.SpelExpressionParser;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Reads a contract from its {@code .avsc} text. Avro's own parser checks the schema; this reads the
 * {@code "streamlake"} properties and refuses, with a message naming the place, anything it does not understand (an
 * unknown key, field, reason or parameter, an expression that does not parse), so a typo fails at registration or
 * start, never silently lets records through.
 * <p>Field properties: {@code pii} (hash or mask: {@link ContractPii}), {@code normalize} (strip, the default; lower; upper; none), {@code enum},
 * {@code enum-parameter}, {@code min}, {@code max}, {@code pattern} (the whole value must match), {@code max-length},
 * {@code format} ({@code iso-4217}), {@code max-past-age} / {@code max-future-skew} (ISO-8601 durations, timestamps),
 * {@code json-integer-as-string}, {@code reason} (for enum, format and pattern), {@code min-reason} (for min and max).
 * <p>Record properties: {@code key}, {@code event-time}, {@code dedup} ({@code key}, {@code window}),
 * {@code discriminator}, {@code required-when}, {@code rules}, {@code parameters}, {@code clickhouse}.
 */
public final class ContractParser {

    static final String PROPERTY = "streamlake";
    private static final Set<String> FIELD_KEYS = Set.of("normalize", "enum", "enum-parameter", "min", "max", "pattern",
            "max-length", "format", "max-past-age", "max-future-skew", "json-integer-as-string", "reason", "min-reason", "pii");
    private static final Set<String> RECORD_KEYS = Set.of("key", "event-time", "dedup", "discriminator", "required-when",
            "rules", "parameters", "clickhouse");
    private static final Set<String> RULE_KEYS = Set.of("name", "on", "unless", "require", "check", "field", "reason",
            "message");
    private static final SpelExpressionParser SPEL = new SpelExpressionParser();

    private ContractParser() {
    }

    /** The contract in {@code avsc} as {@code subject}; a file holds one version, version 1. */
    public static Contract parse(String subject, String avsc) {
        return parse(subject, 1, avsc);
    }

    public static Contract parse(String subject, int version, String avsc) {
        return parse(subject, version, 0, avsc);
    }

    /** The contract a registry holds as {@code subject} version {@code version} under schema id {@code registryId}. */
    public static Contract parse(String subject, int version, int registryId, String avsc) {
        Schema schema;
        try {
            schema = new Schema.Parser().parse(avsc);
        } catch (SchemaParseException | NullPointerException e) {
            throw new ContractException(subject + ": not a valid Avro schema: " + e.getMessage(), e);
        }
        Contract contract = fromSchema(subject, version, schema);
        contract.registryId = registryId;
        return contract;
    }

    /** The contract of an Avro schema already parsed (e.g. one a record was written with). */
    public static Contract fromSchema(String subject, int version, Schema schema) {
        if (schema.getType() != Schema.Type.RECORD) {
            throw new ContractException(subject + ": a contract is an Avro record, not " + schema.getType());
        }
        List<ContractField> fields = new ArrayList<>();
        for (Schema.Field f : schema.getFields()) {
            fields.add(field(subject, f));
        }
        Contract contract = new Contract(subject, version, schema, fields);
        Map<String, Object> props = map(schema.getObjectProp(PROPERTY), subject);
        checkKeys(props.keySet(), RECORD_KEYS, subject);
        contract.parameters = parameters(props.get("parameters"), subject);
        contract.key = optionalField(contract, props.get("key"), subject + ".key");
        contract.eventTime = optionalField(contract, props.get("event-time"), subject + ".event-time");
        if (contract.eventTime != null && contract.eventTime.type != FieldType.TIMESTAMP_MILLIS) {
            throw new ContractException(subject + ".event-time: " + contract.eventTime.name + " is not a timestamp-millis");
        }
        if (props.get("dedup") != null) {
            Map<String, Object> dedup = map(props.get("dedup"), subject + ".dedup");
            checkKeys(dedup.keySet(), Set.of("key", "window"), subject + ".dedup");
            contract.dedupKey = optionalField(contract, dedup.get("key"), subject + ".dedup.key");
            contract.dedupWindow = duration(dedup.getOrDefault("window", "PT10M"), subject + ".dedup.window");
        }
        contract.discriminator = optionalField(contract, props.get("discriminator"), subject + ".discriminator");
        if (props.get("required-when") != null) {
            if (contract.discriminator == null) {
                throw new ContractException(subject + ".required-when needs a discriminator");
            }
            Map<String, List<ContractField>> when = new LinkedHashMap<>();
            map(props.get("required-when"), subject + ".required-when").forEach((value, names) ->
                    when.put(value, fieldList(contract, names, subject + ".required-when." + value)));
            contract.requiredWhen = Collections.unmodifiableMap(when);
        }
        if (props.get("rules") != null) {
            List<ContractRule> rules = new ArrayList<>();
            for (Object rule : list(props.get("rules"), subject + ".rules")) {
                rules.add(rule(contract, map(rule, subject + ".rules"), subject));
            }
            contract.rules = List.copyOf(rules);
        }
        contract.clickhouse = props.get("clickhouse") == null ? Map.of()
                : Collections.unmodifiableMap(map(props.get("clickhouse"), subject + ".clickhouse"));
        for (ContractField f : fields) {
            if (f.enumParameter != null && !contract.parameters.containsKey(f.enumParameter)) {
                throw new ContractException(subject + "." + f.name + ".enum-parameter: no parameter '" + f.enumParameter + "'");
            }
        }
        return contract;
    }

    private static ContractField field(String subject, Schema.Field f) {
        String where = subject + "." + f.name();
        Schema type = f.schema();
        boolean optional = false;
        if (type.getType() == Schema.Type.UNION) {
            List<Schema> branches = type.getTypes().stream().filter(s -> s.getType() != Schema.Type.NULL).toList();
            if (branches.size() != 1 || type.getTypes().size() != 2) {
                throw new ContractException(where + ": only a union of null and one type is supported, not " + type);
            }
            optional = true;
            type = branches.get(0);
        }
        FieldType fieldType = fieldType(type, where);
        ContractField field = new ContractField(f.name(), f.pos(), fieldType, f.doc());
        if (fieldType == FieldType.DECIMAL) {
            LogicalTypes.Decimal decimal = (LogicalTypes.Decimal) type.getLogicalType();
            field.precision = decimal.getPrecision();
            field.scale = decimal.getScale();
        }
        if (f.hasDefaultValue()) {
            Object value = f.defaultVal();
            optional = true;
            if (value != null && value != JsonProperties.NULL_VALUE) {
                field.defaultValue = typed(field, value, where + ".default");
            }
        }
        field.optional = optional;
        Map<String, Object> props = map(f.getObjectProp(PROPERTY), where);
        checkKeys(props.keySet(), FIELD_KEYS, where);
        if (props.containsKey("normalize")) {
            try {
                field.normalize = ContractField.Normalize.valueOf(text(props.get("normalize"), where).toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new ContractException(where + ".normalize: one of strip, lower, upper, none, not " + props.get("normalize"));
            }
        }
        if (props.containsKey("enum")) {
            List<Object> values = new ArrayList<>();
            for (Object v : list(props.get("enum"), where + ".enum")) {
                values.add(typed(field, v, where + ".enum"));
            }
            field.enumValues = List.copyOf(values);
        }
        field.enumParameter = props.containsKey("enum-parameter") ? text(props.get("enum-parameter"), where) : null;
        field.min = props.containsKey("min") ? decimal(props.get("min"), where + ".min") : null;
        field.max = props.containsKey("max") ? decimal(props.get("max"), where + ".max") : null;
        if (props.containsKey("pattern")) {
            try {
                field.pattern = Pattern.compile(text(props.get("pattern"), where));
            } catch (PatternSyntaxException e) {
                throw new ContractException(where + ".pattern: " + e.getMessage(), e);
            }
        }
        field.maxLength = props.containsKey("max-length") ? decimal(props.get("max-length"), where).intValueExact() : -1;
        field.format = props.containsKey("format") ? text(props.get("format"), where) : null;
        if (field.format != null && !field.format.equals("iso-4217")) {
            throw new ContractException(where + ".format: only iso-4217 is known, not " + field.format);
        }
        if (props.containsKey("max-past-age") || props.containsKey("max-future-skew")) {
            if (fieldType != FieldType.TIMESTAMP_MILLIS) {
                throw new ContractException(where + ": max-past-age and max-future-skew are for timestamp-millis fields");
            }
            setTimeBounds(field, props.containsKey("max-past-age") ? duration(props.get("max-past-age"), where) : null,
                    props.containsKey("max-future-skew") ? duration(props.get("max-future-skew"), where) : null);
        }
        field.jsonIntegerAsString = Boolean.TRUE.equals(props.get("json-integer-as-string"));
        if (props.containsKey("pii")) {
            String pii = text(props.get("pii"), where);
            if (!pii.equals("hash") && !pii.equals("mask")) {
                throw new ContractException(where + ".pii: hash or mask, not " + pii);
            }
            if (fieldType != FieldType.STRING) {
                throw new ContractException(where + ".pii: only string fields are hashed or masked");
            }
            field.pii = pii.equals("hash") ? ContractField.Pii.HASH : ContractField.Pii.MASK;
        }
        boolean listed = field.enumValues != null || field.enumParameter != null || field.format != null;
        field.reason = reason(props.get("reason"), listed ? RejectionReason.NOT_ALLOWED_VALUE : RejectionReason.PATTERN_MISMATCH, where);
        field.rangeReason = reason(props.get("min-reason"), RejectionReason.OUT_OF_RANGE, where);
        return field;
    }

    static void setTimeBounds(ContractField field, Duration maxPastAge, Duration maxFutureSkew) {
        if (maxPastAge != null) {
            field.maxPastAge = maxPastAge;
        }
        if (maxFutureSkew != null) {
            field.maxFutureSkew = maxFutureSkew;
        }
    }

    private static FieldType fieldType(Schema type, String where) {
        LogicalType logical = type.getLogicalType();
        switch (type.getType()) {
            case STRING:
                return logical != null && "uuid".equals(logical.getName()) ? FieldType.UUID : FieldType.STRING;
            case ENUM:
                return FieldType.STRING;
            case LONG:
                if (logical != null && logical.getName().equals("timestamp-millis")) {
                    return FieldType.TIMESTAMP_MILLIS;
                }
                if (logical != null) {
                    throw new ContractException(where + ": logical type " + logical.getName() + " is not supported (use timestamp-millis)");
                }
                return FieldType.LONG;
            case INT:
                if (logical != null) {
                    throw new ContractException(where + ": logical type " + logical.getName() + " is not supported");
                }
                return FieldType.INT;
            case BYTES:
            case FIXED:
                if (logical instanceof LogicalTypes.Decimal) {
                    return FieldType.DECIMAL;
                }
                throw new ContractException(where + ": bytes are supported only as decimal(precision, scale)");
            case DOUBLE:
            case FLOAT:
                return FieldType.DOUBLE;
            case BOOLEAN:
                return FieldType.BOOLEAN;
            default:
                throw new ContractException(where + ": type " + type.getType().getName()
                        + " is not supported in a contract (flat records of scalars; nested data as JSON text)");
        }
    }

    /** A JSON-ish value from the schema as the field's Java type. */
    static Object typed(ContractField field, Object value, String where) {
        try {
            switch (field.type) {
                case STRING:
                    return text(value, where);
                case UUID:
                    return java.util.UUID.fromString(text(value, where));
                case INT:
                    return decimal(value, where).intValueExact();
                case LONG:
                case TIMESTAMP_MILLIS:
                    return decimal(value, where).longValueExact();
                case DECIMAL:
                    return decimal(value, where);
                case DOUBLE:
                    return decimal(value, where).doubleValue();
                default:
                    if (value instanceof Boolean b) {
                        return b;
                    }
                    throw new ContractException(where + ": not a boolean: " + value);
            }
        } catch (ArithmeticException | IllegalArgumentException e) {
            throw new ContractException(where + ": " + value + " is not a " + field.type, e);
        }
    }

    private static ContractRule rule(Contract contract, Map<String, Object> rule, String subject) {
        String name = rule.get("name") == null ? "rule" : text(rule.get("name"), subject + ".rules");
        String where = subject + ".rules." + name;
        checkKeys(rule.keySet(), RULE_KEYS, where);
        Set<String> on = new LinkedHashSet<>();
        if (rule.get("on") != null) {
            if (contract.discriminator == null) {
                throw new ContractException(where + ".on needs a discriminator");
            }
            list(rule.get("on"), where + ".on").forEach(v -> on.add(text(v, where + ".on")));
        }
        List<ContractField> require = rule.get("require") == null ? List.of()
                : fieldList(contract, rule.get("require"), where + ".require");
        ContractField field = optionalField(contract, rule.get("field"), where + ".field");
        if (rule.get("check") == null && require.isEmpty()) {
            throw new ContractException(where + ": a rule needs a check, a require list or both");
        }
        return new ContractRule(name, Set.copyOf(on), expression(rule.get("unless"), where + ".unless"), require,
                expression(rule.get("check"), where + ".check"), field,
                reason(rule.get("reason"), RejectionReason.RULE_VIOLATED, where),
                rule.get("message") == null ? name : text(rule.get("message"), where));
    }

    private static Expression expression(Object text, String where) {
        if (text == null) {
            return null;
        }
        try {
            return SPEL.parseExpression(text(text, where));
        } catch (ParseException e) {
            throw new ContractException(where + ": not a SpEL expression: " + e.getMessage(), e);
        }
    }

    private static RejectionReason reason(Object name, RejectionReason otherwise, String where) {
        if (name == null) {
            return otherwise;
        }
        try {
            return RejectionReason.valueOf(text(name, where));
        } catch (IllegalArgumentException e) {
            throw new ContractException(where + ": unknown reason " + name + " (one of "
                    + java.util.Arrays.toString(RejectionReason.values()) + ")");
        }
    }

    private static Map<String, Object> parameters(Object value, String subject) {
        if (value == null) {
            return Map.of();
        }
        Map<String, Object> parameters = new LinkedHashMap<>();
        map(value, subject + ".parameters").forEach((name, v) -> parameters.put(name, parameterValue(v)));
        return Collections.unmodifiableMap(parameters);
    }

    /** Numbers as BigDecimal (exact money), map keys stripped, maps and lists unmodifiable, recursively. */
    static Object parameterValue(Object value) {
        if (value instanceof Number n) {
            return n instanceof BigDecimal d ? d : new BigDecimal(n.toString());
        }
        if (value instanceof Map<?, ?> m) {
            Map<String, Object> out = new LinkedHashMap<>();
            m.forEach((k, v) -> out.put(String.valueOf(k).strip(), parameterValue(v)));
            return Collections.unmodifiableMap(out);
        }
        if (value instanceof Collection<?> c) {
            return c.stream().map(ContractParser::parameterValue).toList();
        }
        return value;
    }

    private static ContractField optionalField(Contract contract, Object name, String where) {
        if (name == null) {
            return null;
        }
        ContractField field = contract.field(text(name, where));
        if (field == null) {
            throw new ContractException(where + ": no field '" + name + "'");
        }
        return field;
    }

    private static List<ContractField> fieldList(Contract contract, Object names, String where) {
        List<ContractField> fields = new ArrayList<>();
        for (Object name : list(names, where)) {
            fields.add(optionalField(contract, name, where));
        }
        return List.copyOf(fields);
    }

    private static void checkKeys(Set<String> keys, Set<String> known, String where) {
        for (String key : keys) {
            if (!known.contains(key)) {
                throw new ContractException(where + ": unknown property '" + key + "' (known: " + new java.util.TreeSet<>(known) + ")");
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value, String where) {
        if (value == null) {
            return Map.of();
        }
        if (!(value instanceof Map<?, ?>)) {
            throw new ContractException(where + ": expected an object, got " + value);
        }
        return (Map<String, Object>) value;
    }

    private static List<?> list(Object value, String where) {
        if (!(value instanceof List<?> l)) {
            throw new ContractException(where + ": expected a list, got " + value);
        }
        return l;
    }

    private static String text(Object value, String where) {
        if (!(value instanceof CharSequence)) {
            throw new ContractException(where + ": expected a string, got " + value);
        }
        return value.toString();
    }

    private static BigDecimal decimal(Object value, String where) {
        if (!(value instanceof Number)) {
            throw new ContractException(where + ": expected a number, got " + value);
        }
        return value instanceof BigDecimal d ? d : new BigDecimal(value.toString());
    }

    private static Duration duration(Object value, String where) {
        try {
            return Duration.parse(text(value, where));
        } catch (DateTimeParseException e) {
            throw new ContractException(where + ": not an ISO-8601 duration (e.g. PT10M): " + value, e);
        }
    }
}
