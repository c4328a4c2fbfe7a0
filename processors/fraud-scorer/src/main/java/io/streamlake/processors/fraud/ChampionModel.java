package io.streamlake.processors.fraud;

import io.streamlake.models.FraudModel;
import io.streamlake.models.ModelRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The model the scorer uses: the registry's champion, loaded at start and again whenever a newer one is promoted
 * ({@link #refresh()}, called on a schedule off the polling thread). The swap is one reference: a poll takes the model
 * once ({@link #current()}) and scores all its events with it, so across a promotion every event is scored once, by
 * the old model or the new. Until there is a champion (or while the registry cannot be read at start), events are
 * scored by the rules alone. Spring-free.
 */
final class ChampionModel {

    private static final Logger log = LoggerFactory.getLogger(ChampionModel.class);

    /** A loaded model: its registry version, the trees, and the threshold it was registered with. */
    record Loaded(long version, FraudModel model, double threshold, List<String> features) {
    }

    private final ModelRegistry registry;
    private final String name;
    private final AtomicReference<Loaded> current = new AtomicReference<>();

    ChampionModel(ModelRegistry registry, String name) {
        this.registry = registry;
        this.name = name;
    }

    /** The model of the moment; null while there is none. */
    Loaded current() {
        return current.get();
    }

    /** Loads the champion when it is not the one held; true when it changed. Failures keep the held model. */
    boolean refresh() {
        try {
            Optional<Long> version = registry.championVersion(name);
            Loaded held = current.get();
            if (version.isEmpty() || held != null && held.version() == version.get()) {
                return false;
            }
            Optional<ModelRegistry.Registered> champion = registry.champion(name);
            if (champion.isEmpty()) {
                return false;
            }
            ModelRegistry.Registered c = champion.get();
            Loaded loaded = new Loaded(c.version(), FraudModel.load(c.features(), c.artifact()), c.threshold(), c.features());
            current.set(loaded);
            log.info("Scoring with {} version {} (threshold {}, features {})", name, c.version(), c.threshold(), c.features());
            return true;
        } catch (Exception e) {
            log.warn("Could not read the model registry ({}); still scoring with {}", e.getMessage(),
                    current.get() == null ? "the rules alone" : "version " + current.get().version());
            return false;
        }
    }
}
