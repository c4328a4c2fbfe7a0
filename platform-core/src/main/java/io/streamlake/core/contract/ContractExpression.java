package io.streamlake.core.contract;

import org.springframework.expression.AccessException;
import org.springframework.expression.EvaluationContext;
import org.springframework.expression.Expression;
import org.springframework.expression.ParseException;
import org.springframework.expression.PropertyAccessor;
import org.springframework.expression.TypedValue;
import org.springframework.expression.spel.SpelNode;
import org.springframework.expression.spel.ast.CompoundExpression;
import org.springframework.expression.spel.ast.Indexer;
import org.springframework.expression.spel.ast.PropertyOrFieldReference;
import org.springframework.expression.spel.ast.VariableReference;
import org.springframework.expression.spel.standard.SpelExpression;
import org.springframework.expression.spel.standard.SpelExpressionParser;
import org.springframework.expression.spel.support.SimpleEvaluationContext;

import java.util.LinkedHashSet;
import java.util.Set;

/**
 * A SpEL expression over one contract's records: its fields by name, {@code #parameters}, operators and properties,
 * in a {@link SimpleEvaluationContext} (no type references, constructors or bean references, so an expression from a
 * registry or a definitions file cannot run code). The contract's rules and the feature views' filters are of this
 * kind. The common shapes run as Java nodes ({@link RuleEvaluator}); anything else, and any record the nodes cannot
 * decide exactly, is evaluated by SpEL itself, so the outcome is always SpEL's.
 */
public final class ContractExpression {

    private static final SpelExpressionParser PARSER = new SpelExpressionParser();

    /** An expression that could not be evaluated on a record (e.g. a null where a number is needed). */
    public static final class EvaluationFailure extends RuntimeException {
        EvaluationFailure(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private final Contract contract;
    private final Expression expression;
    private final RuleEvaluator.Node node;
    private final EvaluationContext context;

    /**
     * @param compile false: every record through SpEL's interpreter (the test that holds both paths to one outcome)
     */
    ContractExpression(Expression expression, Contract contract, boolean compile) {
        this.contract = contract;
        this.expression = expression;
        this.node = compile ? RuleEvaluator.compile(expression, contract) : null;
        SimpleEvaluationContext c = SimpleEvaluationContext.forPropertyAccessors(new FieldAccessor()).build();
        c.setVariable("parameters", contract.parameters());
        this.context = c;
    }

    /**
     * Parses {@code text} as an expression over {@code contract}'s records; throws IllegalArgumentException when it is
     * not SpEL or names a field the contract does not have.
     */
    public static ContractExpression parse(String text, Contract contract) {
        Expression parsed;
        try {
            parsed = PARSER.parseExpression(text);
        } catch (ParseException e) {
            throw new IllegalArgumentException("'" + text + "' is not a SpEL expression: " + e.getSimpleMessage(), e);
        }
        ContractExpression e = new ContractExpression(parsed, contract, true);
        for (String name : e.fieldNames()) {
            if (contract.field(name) == null) {
                throw new IllegalArgumentException("'" + text + "' names '" + name + "', which is not a field of "
                        + contract.subject() + " (fields: " + contract.fields().stream().map(ContractField::name).toList() + ")");
            }
        }
        return e;
    }

    /** The value for a record (its values in the contract's field order). */
    public Object value(Object[] values) {
        if (node != null) {
            try {
                return node.value(values);
            } catch (RuntimeException giveUp) {
                // RuleEvaluator.GIVE_UP, or an arithmetic surprise: SpEL decides, and words any failure
            }
        }
        return spel(values, Object.class);
    }

    /** True when the expression is true for the record; a non-boolean result is converted as SpEL converts it. */
    public boolean test(Object[] values) {
        if (node != null) {
            try {
                if (node.value(values) instanceof Boolean b) {
                    return b;
                }
            } catch (RuntimeException giveUp) {
                // SpEL decides
            }
        }
        return Boolean.TRUE.equals(spel(values, Boolean.class));
    }

    private <T> T spel(Object[] values, Class<T> type) {
        try {
            return expression.getValue(context, new Record(values), type);
        } catch (RuntimeException e) { // EvaluationException, and what SpEL lets through (a null index): never a crash
            throw new EvaluationFailure(e.getMessage(), e);
        }
    }

    /** The names the expression reads as fields (bare names, {@code #root.name}). */
    public Set<String> fieldNames() {
        Set<String> names = new LinkedHashSet<>();
        if (expression instanceof SpelExpression spel) {
            collect(spel.getAST(), names);
        }
        return names;
    }

    private static void collect(SpelNode n, Set<String> names) {
        if (n instanceof PropertyOrFieldReference ref) {
            names.add(ref.getName());
            return;
        }
        if (n instanceof CompoundExpression) {
            // in a.b only a is a field of the record (b is a property of a's value); #root.b is field b
            SpelNode first = n.getChild(0);
            if (first instanceof VariableReference v && v.toStringAST().equals("#root") && n.getChildCount() > 1
                    && n.getChild(1) instanceof PropertyOrFieldReference ref) {
                names.add(ref.getName());
            } else {
                collect(first, names);
            }
            for (int i = 1; i < n.getChildCount(); i++) {
                SpelNode part = n.getChild(i);
                if (!(part instanceof PropertyOrFieldReference)) {
                    collect(part, names);
                }
            }
            return;
        }
        if (n instanceof Indexer && n.getChild(0) instanceof PropertyOrFieldReference) {
            return; // a bare name in an index is a literal key to SpEL
        }
        for (int i = 0; i < n.getChildCount(); i++) {
            collect(n.getChild(i), names);
        }
    }

    public String text() {
        return expression.getExpressionString();
    }

    @Override
    public String toString() {
        return text();
    }

    /** A record's values as SpEL sees them: fields by name. */
    private static final class Record {
        final Object[] values;

        Record(Object[] values) {
            this.values = values;
        }
    }

    /** Reads a {@link Record}'s fields by name; no other property of anything. */
    private final class FieldAccessor implements PropertyAccessor {
        @Override
        public Class<?>[] getSpecificTargetClasses() {
            return new Class<?>[] {Record.class};
        }

        @Override
        public boolean canRead(EvaluationContext context, Object target, String name) {
            return target instanceof Record && contract.field(name) != null;
        }

        @Override
        public TypedValue read(EvaluationContext context, Object target, String name) throws AccessException {
            ContractField f = contract.field(name);
            if (!(target instanceof Record r) || f == null) {
                throw new AccessException("no field " + name);
            }
            return new TypedValue(r.values[f.index]);
        }

        @Override
        public boolean canWrite(EvaluationContext context, Object target, String name) {
            return false;
        }

        @Override
        public void write(EvaluationContext context, Object target, String name, Object newValue) throws AccessException {
            throw new AccessException("contract expressions cannot change a record");
        }
    }
}
