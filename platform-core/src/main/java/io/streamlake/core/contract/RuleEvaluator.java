package io.streamlake.core.contract;

import org.springframework.expression.Expression;
import org.springframework.expression.spel.SpelNode;
import org.springframework.expression.spel.ast.BooleanLiteral;
import org.springframework.expression.spel.ast.CompoundExpression;
import org.springframework.expression.spel.ast.Indexer;
import org.springframework.expression.spel.ast.IntLiteral;
import org.springframework.expression.spel.ast.Literal;
import org.springframework.expression.spel.ast.LongLiteral;
import org.springframework.expression.spel.ast.NullLiteral;
import org.springframework.expression.spel.ast.OpAnd;
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
import org.springframework.expression.spel.ast.VariableReference;
import org.springframework.expression.spel.standard.SpelExpression;

import java.math.BigDecimal;
import java.util.Map;

/**
 * Evaluates the common shapes of contract rules straight on a record's values: field references, literals,
 * {@code #parameters['name'][key]}, comparisons, {@code + - *} on exact decimals, {@code && || !}. SpEL parses the
 * rule; this walks SpEL's own syntax tree once into Java nodes, because SpEL's interpreter (type descriptors,
 * evaluation state, conversions per call) was the largest part of event-validator's per-event time. Anything outside
 * the shapes (another operator, a null operand, a number that is not an exact decimal on either side) makes a node
 * give up ({@link #GIVE_UP}), and the caller evaluates that record with SpEL itself, so the outcome is always SpEL's.
 * A test holds both to the same results on generated records.
 */
final class RuleEvaluator {

    /** Thrown (without a stack) by a node that cannot decide exactly as SpEL would. */
    static final RuntimeException GIVE_UP = new RuntimeException("evaluate with SpEL", null, false, false) {
    };

    /** A compiled expression. */
    @FunctionalInterface
    interface Node {
        Object value(Object[] values);
    }

    private final Contract contract;

    private RuleEvaluator(Contract contract) {
        this.contract = contract;
    }

    /** The expression as Java nodes, or null when it has a shape this does not handle (SpEL evaluates it always). */
    static Node compile(Expression expression, Contract contract) {
        if (!(expression instanceof SpelExpression spel)) {
            return null;
        }
        try {
            return new RuleEvaluator(contract).node(spel.getAST());
        } catch (UnsupportedOperationException unsupported) {
            return null;
        }
    }

    private Node node(SpelNode n) {
        if (n instanceof Literal literal) {
            Object v = literal instanceof NullLiteral ? null : literal.getLiteralValue().getValue();
            if (n instanceof IntLiteral || n instanceof LongLiteral || n instanceof RealLiteral) {
                v = new BigDecimal(v.toString()); // numbers meet exact decimals: compared and multiplied as BigDecimal
            } else if (!(n instanceof StringLiteral || n instanceof BooleanLiteral || n instanceof NullLiteral)) {
                throw new UnsupportedOperationException();
            }
            Object value = v;
            return values -> value;
        }
        if (n instanceof PropertyOrFieldReference ref) {
            return field(ref.getName());
        }
        if (n instanceof CompoundExpression) {
            return compound(n);
        }
        if (n instanceof OpAnd) {
            Node l = node(n.getChild(0)), r = node(n.getChild(1));
            return values -> bool(l.value(values)) && bool(r.value(values));
        }
        if (n instanceof OpOr) {
            Node l = node(n.getChild(0)), r = node(n.getChild(1));
            return values -> bool(l.value(values)) || bool(r.value(values));
        }
        if (n instanceof OperatorNot) {
            Node o = node(n.getChild(0));
            return values -> !bool(o.value(values));
        }
        if (n instanceof OpEQ || n instanceof OpNE) {
            boolean eq = n instanceof OpEQ;
            Node l = node(n.getChild(0)), r = node(n.getChild(1));
            return values -> equal(l.value(values), r.value(values)) == eq;
        }
        if (n instanceof OpGT || n instanceof OpGE || n instanceof OpLT || n instanceof OpLE) {
            Node l = node(n.getChild(0)), r = node(n.getChild(1));
            if (n instanceof OpGT) {
                return values -> compare(l.value(values), r.value(values)) > 0;
            }
            if (n instanceof OpGE) {
                return values -> compare(l.value(values), r.value(values)) >= 0;
            }
            if (n instanceof OpLT) {
                return values -> compare(l.value(values), r.value(values)) < 0;
            }
            return values -> compare(l.value(values), r.value(values)) <= 0;
        }
        if ((n instanceof OpPlus || n instanceof OpMinus || n instanceof OpMultiply) && n.getChildCount() == 2) {
            Node l = node(n.getChild(0)), r = node(n.getChild(1));
            if (n instanceof OpPlus) {
                return values -> decimal(l.value(values)).add(decimal(r.value(values)));
            }
            if (n instanceof OpMinus) {
                return values -> decimal(l.value(values)).subtract(decimal(r.value(values)));
            }
            return values -> decimal(l.value(values)).multiply(decimal(r.value(values)));
        }
        throw new UnsupportedOperationException();
    }

    /** {@code #root.field}, or {@code #parameters[k1][k2]...} with literal or field keys. */
    private Node compound(SpelNode n) {
        SpelNode first = n.getChild(0);
        if (first instanceof VariableReference v && v.toStringAST().equals("#root") && n.getChildCount() == 2
                && n.getChild(1) instanceof PropertyOrFieldReference ref) {
            return field(ref.getName());
        }
        if (!(first instanceof VariableReference v && v.toStringAST().equals("#parameters"))) {
            throw new UnsupportedOperationException();
        }
        Map<String, Object> parameters = contract.parameters();
        Node current = values -> parameters;
        for (int i = 1; i < n.getChildCount(); i++) {
            if (!(n.getChild(i) instanceof Indexer indexer)) {
                throw new UnsupportedOperationException();
            }
            SpelNode keyNode = indexer.getChild(0);
            if (keyNode instanceof PropertyOrFieldReference) {
                throw new UnsupportedOperationException(); // a bare name in an index is a literal key to SpEL: rare, leave it
            }
            Node key = node(keyNode);
            Node map = current;
            current = values -> {
                Object m = map.value(values);
                Object k = key.value(values);
                if (!(m instanceof Map<?, ?> found) || !(k instanceof String)) {
                    throw GIVE_UP;
                }
                return found.get(k);
            };
        }
        return current;
    }

    private Node field(String name) {
        ContractField f = contract.field(name);
        if (f == null) {
            throw new UnsupportedOperationException();
        }
        int index = f.index;
        return values -> values[index];
    }

    private static boolean bool(Object v) {
        if (v instanceof Boolean b) {
            return b;
        }
        throw GIVE_UP;
    }

    private static BigDecimal decimal(Object v) {
        if (v instanceof BigDecimal d) {
            return d;
        }
        if (v instanceof Integer || v instanceof Long) {
            return BigDecimal.valueOf(((Number) v).longValue());
        }
        throw GIVE_UP; // null, doubles, text: SpEL's own rules
    }

    private static int compare(Object l, Object r) {
        if (l instanceof String a && r instanceof String b) {
            return a.compareTo(b);
        }
        return decimal(l).compareTo(decimal(r));
    }

    private static boolean equal(Object l, Object r) {
        if (l == null || r == null) {
            return l == r;
        }
        if (l instanceof Number || r instanceof Number) {
            if ((l instanceof BigDecimal || l instanceof Integer || l instanceof Long)
                    && (r instanceof BigDecimal || r instanceof Integer || r instanceof Long)) {
                return decimal(l).compareTo(decimal(r)) == 0;
            }
            throw GIVE_UP;
        }
        return l.equals(r);
    }
}
