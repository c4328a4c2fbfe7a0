package io.streamlake.models;

import io.streamlake.features.expression.FeatureExpression;
import io.streamlake.features.registry.FeatureRegistry;
import org.yaml.snakeyaml.Yaml;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The declared rules (a YAML file: code, description, condition), compiled once against the event's fields and the
 * registry's features: an unknown name or a condition that is not boolean fails the start, naming the rule. The
 * features the conditions use ({@link #features()}) are read with the model's in the same round trip. Shared by the
 * scorer (live, online features) and the training task (rules alone on the evaluation window, point-in-time
 * features). Spring-free.
 */
public final class FraudRules {

    /** The event's own names, first in every values array, in this order. */
    public static final List<String> EVENT_NAMES = List.of("game_activity", "game_type", "bet_amount", "win_amount", "bonus_amount");

    /** A compiled rule. */
    public record Rule(String code, String description, FeatureExpression condition) {
    }

    private final List<Rule> rules;
    private final List<String> features;

    private FraudRules(List<Rule> rules, List<String> features) {
        this.rules = rules;
        this.features = features;
    }

    /** The rules at {@code location}: {@code classpath:<resource>} or a file path. */
    public static FraudRules load(String location, FeatureRegistry registry) {
        String text;
        try (InputStream in = location.startsWith("classpath:")
                ? FraudRules.class.getClassLoader().getResourceAsStream(location.substring("classpath:".length()))
                : Files.newInputStream(Path.of(location))) {
            if (in == null) {
                throw new IllegalArgumentException("no rules file at " + location);
            }
            text = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read the rules file " + location + ": " + e.getMessage(), e);
        }
        return parse(text, location, registry);
    }

    @SuppressWarnings("unchecked")
    public static FraudRules parse(String yaml, String where, FeatureRegistry registry) {
        Object root = new Yaml().load(yaml);
        if (!(root instanceof Map<?, ?> map) || !(map.get("rules") instanceof List<?> list)) {
            throw new IllegalArgumentException(where + ": expected a 'rules' list");
        }
        List<String> features = new ArrayList<>();
        List<Rule> rules = new ArrayList<>();
        for (Object item : list) {
            if (!(item instanceof Map<?, ?> r) || !(r.get("code") instanceof String code) || !(r.get("when") instanceof String when)) {
                throw new IllegalArgumentException(where + ": each rule needs 'code' and 'when' (text): " + item);
            }
            FeatureExpression condition;
            try {
                condition = FeatureExpression.compile(when, name -> resolve(name, registry, features));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(where + ": rule " + code + ": " + e.getMessage(), e);
            }
            if (condition.kind() != FeatureExpression.Kind.BOOL) {
                throw new IllegalArgumentException(where + ": rule " + code + ": '" + when + "' is not a condition");
            }
            rules.add(new Rule(code, r.get("description") instanceof String d ? d : "", condition));
        }
        return new FraudRules(List.copyOf(rules), List.copyOf(features));
    }

    private static FeatureExpression.Name resolve(String name, FeatureRegistry registry, List<String> features) {
        int event = EVENT_NAMES.indexOf(name);
        if (event >= 0) {
            return new FeatureExpression.Name(event, event < 2 ? FeatureExpression.Kind.STRING : FeatureExpression.Kind.NUMBER);
        }
        int dot = name.indexOf('.');
        if (dot <= 0) {
            return null;
        }
        FeatureRegistry.Feature feature = registry.featureView(name.substring(0, dot))
                .flatMap(v -> v.feature(name.substring(dot + 1))).orElse(null);
        if (feature == null) {
            return null;
        }
        String ref = name.substring(0, dot) + ":" + name.substring(dot + 1);
        if (!features.contains(ref)) {
            features.add(ref);
        }
        return new FeatureExpression.Name(EVENT_NAMES.size() + features.indexOf(ref), FeatureExpression.kindOf(feature.type()));
    }

    /** The features the conditions read, as {@code view:feature}, in the values array's order after the event's names. */
    public List<String> features() {
        return features;
    }

    public List<Rule> rules() {
        return rules;
    }

    /** The codes of the rules that hold for {@code values} (the event's names, then {@link #features()}). */
    public List<String> fired(Object[] values) {
        List<String> codes = new ArrayList<>(2);
        for (Rule r : rules) {
            if (Boolean.TRUE.equals(r.condition().value(values))) {
                codes.add(r.code());
            }
        }
        return codes;
    }
}
