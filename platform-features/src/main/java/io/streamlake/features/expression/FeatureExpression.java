package io.streamlake.features.expression;

import io.streamlake.features.feast.FeastValue;
import io.streamlake.features.registry.FeatureType;
import org.springframework.expression.ParseException;
import org.springframework.expression.spel.SpelNode;
import org.springframework.expression.spel.ast.BooleanLiteral;
import org.springframework.expression.spel.ast.CompoundExpression;
import org.springframework.expression.spel.ast.Elvis;
import org.springframework.expression.spel.ast.IntLiteral;
import org.springframework.expression.spel.ast.LongLiteral;
import org.springframework.expression.spel.ast.MethodReference;
import org.springframework.expression.spel.ast.NullLiteral;
import org.springframework.expression.spel.ast.OpAnd;
import org.springframework.expression.spel.ast.OpDivide;
import org.springframework.expression.spel.ast.OpEQ;
import org.springframework.expression.spel.ast.OpGE;
import org.springframework.expression.spel.ast.OpGT;
import org.springframework.expression.spel.ast.OpLE;
import org.springframework.expression.spel.ast.OpLT;
import org.springframework.expression.spel.ast.OpMinus;
import org.springframework.expression.spel.ast.OpMultiply;
import org.springframework.expression.spel.ast.OpNE;
import org.springframework.expression.spel.ast.OpOr;
import org.springframework.expression.spel.ast.OpPlus;
import org.springframework.expression.spel.ast.OperatorNot;
import org.springframework.expression.spel.ast.PropertyOrFieldReference;
import org.springframework.expression.spel.ast.RealLiteral;
import org.springframework.expression.spel.ast.StringLiteral;
import org.springframework.expression.spel.ast.Ternary;
import org.springframework.expression.spel.standard.SpelExpression;
import org.springframework.expression.spel.standard.SpelExpressionParser;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * An expression computing a feature from other values: a derived feature over a stream view's aggregates (e.g.
 * {@code bet_sum_1h - win_sum_1h - bonus_sum_1h}), or an on-demand feature over request data and stored features
 * (e.g. {@code bet_amount / customer_activity.avg_bet_1h}). Written in SpEL's syntax, which the contracts' rules use
 * too, but evaluated here, with the numeric rules features need (SpEL's would divide decimals at the left operand's
 * scale, so an average of 1.23 / 7 would be 0.18):
 * <ul>
 *   <li>{@code + - *} on exact numbers (counts, sums of decimals, literals) are exact; with a floating-point operand
 *       they are floating-point. The result is rounded once, when it is written as the feature's dtype.</li>
 *   <li>{@code /} is floating-point division of the two values as doubles; dividing by zero gives null.</li>
 *   <li>a null operand makes arithmetic null (as in SQL); comparisons with null are false, except {@code == null}.</li>
 *   <li>{@code && || !}, comparisons, {@code cond ? a : b}, {@code a ?: b}; functions {@code seconds_between(from, to)}
 *       (whole seconds, toward zero), {@code abs(x)}, {@code sqrt(x)}, {@code min(a, b)}, {@code max(a, b)},
 *       {@code coalesce(a, b, ...)}.</li>
 * </ul>
 * Names are resolved when compiling (an unknown name is an error then, not at run time); a qualified name
 * {@code view.feature} is one name. Values are Long, BigDecimal, Double, String, Boolean, Instant or null.
 */
public final class FeatureExpression {

    /** What kind of value a name or an expression gives, as far as known before running. */
    public enum Kind { NUMBER, STRING, BOOL, TIME, NULL }

    /** A name the expression may use: its index in the values array and its kind. */
    public record Name(int index, Kind kind) {
    }

    private static final SpelExpressionParser PARSER = new SpelExpressionParser();

    @FunctionalInterface
    private interface Node {
        Object value(Object[] values);
    }

    private final String text;
    private final Node root;
    private final Kind kind;
    private final Set<String> names;

    private FeatureExpression(String text, Node root, Kind kind, Set<String> names) {
        this.text = text;
        this.root = root;
        this.kind = kind;
        this.names = names;
    }

    /**
     * Compiles {@code text}; {@code resolve} gives a name's index and kind, or null for a name that is not known.
     * Throws IllegalArgumentException with what is wrong: not SpEL, an unknown name, an operator or function this
     * does not evaluate, or operands of the wrong kind.
     */
    public static FeatureExpression compile(String text, Function<String, Name> resolve) {
        SpelNode ast;
        try {
            ast = ((SpelExpression) PARSER.parseExpression(text)).getAST();
        } catch (ParseException e) {
            throw new IllegalArgumentException("'" + text + "' is not a SpEL expression: " + e.getSimpleMessage(), e);
        }
        Compiler c = new Compiler(text, resolve);
        Typed t = c.node(ast);
        return new FeatureExpression(text, t.node, t.kind, c.used);
    }

    public Object value(Object[] values) {
        return root.value(values);
    }

    /** The kind of value it gives (NULL only for the literal null). */
    public Kind kind() {
        return kind;
    }

    /** The names it reads. */
    public Set<String> names() {
        return names;
    }

    public String text() {
        return text;
    }

    @Override
    public String toString() {
        return text;
    }

    /** True when a value of this kind can be written as {@code type}. */
    public static boolean fits(Kind kind, FeatureType type) {
        return switch (type) {
            case INT32, INT64, FLOAT32, FLOAT64 -> kind == Kind.NUMBER || kind == Kind.NULL;
            case STRING -> kind == Kind.STRING || kind == Kind.NULL;
            case BOOL -> kind == Kind.BOOL || kind == Kind.NULL;
            case UNIX_TIMESTAMP -> kind == Kind.TIME || kind == Kind.NUMBER || kind == Kind.NULL;
            case BYTES -> kind == Kind.NULL;
        };
    }

    /**
     * A value as a feature of {@code type}: numbers rounded once (a BigDecimal's nearest double, a whole number
     * toward zero), instants as epoch seconds; null stays null. Throws IllegalArgumentException for a value that is
     * not of the type's kind.
     */
    public static FeastValue toFeast(Object v, FeatureType type) {
        if (v == null) {
            return FeastValue.ofNull();
        }
        switch (type) {
            case INT64:
                if (v instanceof Number n) {
                    return FeastValue.ofInt64(n.longValue());
                }
                break;
            case INT32:
                if (v instanceof Number n) {
                    return FeastValue.ofInt32(n.intValue());
                }
                break;
            case FLOAT64:
                if (v instanceof Number n) {
                    return FeastValue.ofDouble(n.doubleValue());
                }
                break;
            case FLOAT32:
                if (v instanceof Number n) {
                    return FeastValue.ofFloat(n.floatValue());
                }
                break;
            case STRING:
                if (v instanceof String s) {
                    return FeastValue.ofString(s);
                }
                break;
            case BOOL:
                if (v instanceof Boolean b) {
                    return FeastValue.ofBool(b);
                }
                break;
            case UNIX_TIMESTAMP:
                if (v instanceof Instant i) {
                    return FeastValue.ofUnixTimestamp(i.getEpochSecond());
                }
                if (v instanceof Number n) {
                    return FeastValue.ofUnixTimestamp(n.longValue());
                }
                break;
            default:
                break;
        }
        throw new IllegalArgumentException("the value " + v + " is not a " + type.feastName());
    }

    /** A stored feature value as expressions see it: Long, Double, String, Boolean, Instant or null. */
    public static Object fromFeast(FeastValue v) {
        if (v == null) {
            return null;
        }
        return switch (v.type()) {
            case INT32 -> ((Integer) v.value()).longValue();
            case FLOAT -> ((Float) v.value()).doubleValue();
            case UNIX_TIMESTAMP -> Instant.ofEpochSecond((Long) v.value());
            case NULL, BYTES -> null;
            default -> v.value();
        };
    }

    /** The kind of values of a feature type. */
    public static Kind kindOf(FeatureType type) {
        return switch (type) {
            case INT32, INT64, FLOAT32, FLOAT64 -> Kind.NUMBER;
            case STRING -> Kind.STRING;
            case BOOL -> Kind.BOOL;
            case UNIX_TIMESTAMP -> Kind.TIME;
            case BYTES -> Kind.NULL;
        };
    }

    private record Typed(Node node, Kind kind) {
    }

    private static final class Compiler {
        final String text;
        final Function<String, Name> resolve;
        final Set<String> used = new LinkedHashSet<>();

        Compiler(String text, Function<String, Name> resolve) {
            this.text = text;
            this.resolve = resolve;
        }

        IllegalArgumentException error(String message) {
            return new IllegalArgumentException("'" + text + "': " + message);
        }

        Typed node(SpelNode n) {
            if (n instanceof NullLiteral) {
                return new Typed(v -> null, Kind.NULL);
            }
            if (n instanceof IntLiteral || n instanceof LongLiteral || n instanceof RealLiteral) {
                BigDecimal d = new BigDecimal(((org.springframework.expression.spel.ast.Literal) n).getLiteralValue().getValue().toString());
                return new Typed(v -> d, Kind.NUMBER);
            }
            if (n instanceof StringLiteral s) {
                Object value = s.getLiteralValue().getValue();
                return new Typed(v -> value, Kind.STRING);
            }
            if (n instanceof BooleanLiteral b) {
                Object value = b.getLiteralValue().getValue();
                return new Typed(v -> value, Kind.BOOL);
            }
            if (n instanceof PropertyOrFieldReference ref) {
                return name(ref.getName());
            }
            if (n instanceof CompoundExpression) {
                StringBuilder qualified = new StringBuilder();
                for (int i = 0; i < n.getChildCount(); i++) {
                    if (!(n.getChild(i) instanceof PropertyOrFieldReference ref)) {
                        throw error("only names and view.feature names may be qualified, not " + n.toStringAST());
                    }
                    qualified.append(i == 0 ? "" : ".").append(ref.getName());
                }
                return name(qualified.toString());
            }
            if (n instanceof OpPlus || n instanceof OpMinus) {
                if (n.getChildCount() == 1) {
                    Typed o = number(n.getChild(0));
                    if (n instanceof OpPlus) {
                        return o;
                    }
                    return new Typed(v -> negate(o.node.value(v)), Kind.NUMBER);
                }
                Typed l = number(n.getChild(0)), r = number(n.getChild(1));
                boolean plus = n instanceof OpPlus;
                return new Typed(v -> arithmetic(l.node.value(v), r.node.value(v), plus ? '+' : '-'), Kind.NUMBER);
            }
            if (n instanceof OpMultiply) {
                Typed l = number(n.getChild(0)), r = number(n.getChild(1));
                return new Typed(v -> arithmetic(l.node.value(v), r.node.value(v), '*'), Kind.NUMBER);
            }
            if (n instanceof OpDivide) {
                Typed l = number(n.getChild(0)), r = number(n.getChild(1));
                return new Typed(v -> divide(l.node.value(v), r.node.value(v)), Kind.NUMBER);
            }
            if (n instanceof OpAnd || n instanceof OpOr) {
                Typed l = bool(n.getChild(0)), r = bool(n.getChild(1));
                if (n instanceof OpAnd) {
                    return new Typed(v -> truth(l.node.value(v)) && truth(r.node.value(v)), Kind.BOOL);
                }
                return new Typed(v -> truth(l.node.value(v)) || truth(r.node.value(v)), Kind.BOOL);
            }
            if (n instanceof OperatorNot) {
                Typed o = bool(n.getChild(0));
                return new Typed(v -> !truth(o.node.value(v)), Kind.BOOL);
            }
            if (n instanceof OpEQ || n instanceof OpNE) {
                Typed l = node(n.getChild(0)), r = node(n.getChild(1));
                comparable(l, r, n);
                boolean eq = n instanceof OpEQ;
                return new Typed(v -> equal(l.node.value(v), r.node.value(v)) == eq, Kind.BOOL);
            }
            if (n instanceof OpGT || n instanceof OpGE || n instanceof OpLT || n instanceof OpLE) {
                Typed l = node(n.getChild(0)), r = node(n.getChild(1));
                comparable(l, r, n);
                int want = n instanceof OpGT || n instanceof OpGE ? 1 : -1;
                boolean orEqual = n instanceof OpGE || n instanceof OpLE;
                return new Typed(v -> {
                    Integer c = compare(l.node.value(v), r.node.value(v));
                    return c != null && (c == want || orEqual && c == 0);
                }, Kind.BOOL);
            }
            if (n instanceof Ternary) {
                Typed cond = bool(n.getChild(0)), a = node(n.getChild(1)), b = node(n.getChild(2));
                return new Typed(v -> truth(cond.node.value(v)) ? a.node.value(v) : b.node.value(v), common(a, b, n));
            }
            if (n instanceof Elvis) {
                Typed a = node(n.getChild(0)), b = node(n.getChild(1));
                return new Typed(v -> {
                    Object x = a.node.value(v);
                    return x != null ? x : b.node.value(v);
                }, common(a, b, n));
            }
            if (n instanceof MethodReference m) {
                return function(m);
            }
            throw error("'" + n.toStringAST() + "' is not something a feature expression evaluates (names, numbers,"
                    + " strings, + - * /, comparisons, && || !, ?:, and the functions seconds_between, abs, sqrt, min, max,"
                    + " coalesce)");
        }

        Typed name(String name) {
            Name found = resolve.apply(name);
            if (found == null) {
                throw error("unknown name '" + name + "'");
            }
            used.add(name);
            int index = found.index();
            return new Typed(v -> v[index], found.kind());
        }

        Typed number(SpelNode n) {
            Typed t = node(n);
            if (t.kind != Kind.NUMBER && t.kind != Kind.NULL) {
                throw error("'" + n.toStringAST() + "' is a " + t.kind.name().toLowerCase() + ", not a number");
            }
            return t;
        }

        Typed bool(SpelNode n) {
            Typed t = node(n);
            if (t.kind != Kind.BOOL && t.kind != Kind.NULL) {
                throw error("'" + n.toStringAST() + "' is a " + t.kind.name().toLowerCase() + ", not true or false");
            }
            return t;
        }

        void comparable(Typed l, Typed r, SpelNode n) {
            if (l.kind != r.kind && l.kind != Kind.NULL && r.kind != Kind.NULL) {
                throw error("'" + n.toStringAST() + "' compares a " + l.kind.name().toLowerCase() + " with a "
                        + r.kind.name().toLowerCase());
            }
        }

        Kind common(Typed a, Typed b, SpelNode n) {
            if (a.kind == Kind.NULL) {
                return b.kind;
            }
            if (b.kind != Kind.NULL && b.kind != a.kind) {
                throw error("'" + n.toStringAST() + "' gives a " + a.kind.name().toLowerCase() + " or a "
                        + b.kind.name().toLowerCase());
            }
            return a.kind;
        }

        Typed function(MethodReference m) {
            String name = m.getName();
            int arity = m.getChildCount();
            List<Typed> args = new java.util.ArrayList<>(arity);
            for (int i = 0; i < arity; i++) {
                args.add(node(m.getChild(i)));
            }
            switch (name) {
                case "seconds_between": {
                    expect(name, arity, 2);
                    for (Typed a : args) {
                        if (a.kind != Kind.TIME && a.kind != Kind.NULL) {
                            throw error("seconds_between takes two timestamps");
                        }
                    }
                    Node from = args.get(0).node, to = args.get(1).node;
                    return new Typed(v -> {
                        Object a = from.value(v), b = to.value(v);
                        return a == null || b == null ? null
                                : java.time.Duration.between((Instant) a, (Instant) b).toSeconds();
                    }, Kind.NUMBER);
                }
                case "abs", "sqrt": {
                    expect(name, arity, 1);
                    Node x = numberArg(args.get(0), name).node;
                    boolean abs = name.equals("abs");
                    return new Typed(v -> {
                        Object a = x.value(v);
                        if (a == null) {
                            return null;
                        }
                        if (abs) {
                            return a instanceof Double d ? (Object) Math.abs(d) : exact(a).abs();
                        }
                        double d = ((Number) a).doubleValue();
                        return d < 0 ? null : Math.sqrt(d);
                    }, Kind.NUMBER);
                }
                case "min", "max": {
                    expect(name, arity, 2);
                    Node a = numberArg(args.get(0), name).node, b = numberArg(args.get(1), name).node;
                    int want = name.equals("min") ? -1 : 1;
                    return new Typed(v -> {
                        Object x = a.value(v), y = b.value(v);
                        if (x == null || y == null) {
                            return x == null ? y : x;
                        }
                        Integer c = compare(x, y);
                        return c != null && c == want ? x : c != null && c == 0 ? x : y;
                    }, Kind.NUMBER);
                }
                case "coalesce": {
                    if (arity < 2) {
                        throw error("coalesce takes two or more values");
                    }
                    Kind k = Kind.NULL;
                    for (Typed a : args) {
                        if (k == Kind.NULL) {
                            k = a.kind;
                        } else if (a.kind != Kind.NULL && a.kind != k) {
                            throw error("coalesce's values must be of one kind");
                        }
                    }
                    Node[] nodes = args.stream().map(Typed::node).toArray(Node[]::new);
                    return new Typed(v -> {
                        for (Node x : nodes) {
                            Object value = x.value(v);
                            if (value != null) {
                                return value;
                            }
                        }
                        return null;
                    }, k);
                }
                default:
                    throw error("unknown function '" + name + "' (seconds_between, abs, sqrt, min, max, coalesce)");
            }
        }

        Typed numberArg(Typed t, String function) {
            if (t.kind != Kind.NUMBER && t.kind != Kind.NULL) {
                throw error(function + " takes numbers");
            }
            return t;
        }

        void expect(String function, int arity, int wanted) {
            if (arity != wanted) {
                throw error(function + " takes " + wanted + " value" + (wanted == 1 ? "" : "s") + ", not " + arity);
            }
        }
    }

    private static boolean isExact(Object v) {
        return v instanceof BigDecimal || v instanceof Long || v instanceof Integer;
    }

    private static BigDecimal exact(Object v) {
        return v instanceof BigDecimal d ? d : BigDecimal.valueOf(((Number) v).longValue());
    }

    private static Object negate(Object v) {
        if (v == null) {
            return null;
        }
        return isExact(v) ? exact(v).negate() : (Object) (-((Number) v).doubleValue());
    }

    private static Object arithmetic(Object a, Object b, char op) {
        if (a == null || b == null) {
            return null;
        }
        if (isExact(a) && isExact(b)) {
            BigDecimal x = exact(a), y = exact(b);
            return switch (op) {
                case '+' -> x.add(y);
                case '-' -> x.subtract(y);
                default -> x.multiply(y);
            };
        }
        double x = ((Number) a).doubleValue(), y = ((Number) b).doubleValue();
        return switch (op) {
            case '+' -> x + y;
            case '-' -> x - y;
            default -> x * y;
        };
    }

    private static Object divide(Object a, Object b) {
        if (a == null || b == null) {
            return null;
        }
        if (isExact(b) ? exact(b).signum() == 0 : ((Number) b).doubleValue() == 0.0) {
            return null;
        }
        return ((Number) a).doubleValue() / ((Number) b).doubleValue();
    }

    private static boolean truth(Object v) {
        return Boolean.TRUE.equals(v);
    }

    private static boolean equal(Object a, Object b) {
        if (a == null || b == null) {
            return a == b;
        }
        if (a instanceof Number && b instanceof Number) {
            Integer c = compare(a, b);
            return c != null && c == 0;
        }
        return a.equals(b);
    }

    /** -1, 0 or 1; null when either side is null or they are not comparable. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Integer compare(Object a, Object b) {
        if (a == null || b == null) {
            return null;
        }
        if (a instanceof Number && b instanceof Number) {
            if (isExact(a) && isExact(b)) {
                return Integer.signum(exact(a).compareTo(exact(b)));
            }
            return Integer.signum(Double.compare(((Number) a).doubleValue(), ((Number) b).doubleValue()));
        }
        if (a instanceof Comparable ca && a.getClass() == b.getClass()) {
            return Integer.signum(ca.compareTo(b));
        }
        return null;
    }
}
