package io.streamlake.sources.casino;

import io.streamlake.core.event.CasinoEvent;
import io.streamlake.core.event.GameActivity;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.UUID;

/**
 * Synthetic casino activity that looks like the real thing; no Spring in here. Customers play sessions:
 * login, a deposit when their balance is low, rounds of bet then (maybe) win on games whose payouts follow
 * each game's return-to-player, occasional bonuses, occasional withdrawals, logout. Many customers are
 * online at once, so their events interleave. A share of customers is anomalous: bonus abuse, bet-size
 * spikes, or win streaks no fair game produces; that is only told by {@link SimulatedEvent#groundTruth()}.
 * <p>
 * Deterministic: the same settings and seed give the same events, ids and timestamps included. Event time
 * starts at the configured start and advances by 1 / events-per-second per event.
 * <p>
 * <b>Identity.</b> An event id is not drawn from the random stream: it is made of a run key (a hash of every
 * setting, the start time included), the instance index, and the event's sequence number in the run
 * ({@link #eventId(long)}). So a run started at another time (a restart, a redeploy: the start defaults to now)
 * never repeats an id of an earlier run, except by a 48-bit hash collision; instance {@code i} of {@code n}
 * simulates only the customers whose number is {@code i} modulo {@code n}, from a random stream of its own, and
 * its ids differ from every other instance's in their instance bits. Only the same settings with the same start
 * time replay a run, ids included: that is how a replay is asked for.
 */
public final class CasinoActivitySimulator {

    /** Kinds of customer; everything but NORMAL is an anomaly for models to find. */
    public enum Behaviour {
        NORMAL, BONUS_ABUSE, BET_SPIKE, WIN_STREAK;

        /** The ground-truth header value: {@code normal}, {@code bonus_abuse}, ... */
        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** An event and the customer's true behaviour (for model evaluation; never in the event itself). */
    public record SimulatedEvent(CasinoEvent event, Behaviour groundTruth) {
    }

    /** Settings of a simulation. */
    public record Settings(int customers, int games, long seed, Instant start, double eventsPerSecond,
                           double anomalousShare, List<String> currencies, int instanceIndex, int instanceCount) {
        public Settings {
            if (customers < 1 || eventsPerSecond <= 0 || anomalousShare < 0 || anomalousShare > 1 || currencies.isEmpty()) {
                throw new IllegalArgumentException("customers >= 1, events per second > 0, anomalous share in [0, 1]"
                        + " and at least one currency are required");
            }
            if (instanceCount < 1 || instanceCount > MAX_INSTANCES || instanceIndex < 0 || instanceIndex >= instanceCount) {
                throw new IllegalArgumentException("instance index " + instanceIndex + " of " + instanceCount
                        + ": the count must be 1 to " + MAX_INSTANCES + " and the index below it");
            }
            if (customers < instanceCount) {
                throw new IllegalArgumentException(customers + " customers cannot be shared by " + instanceCount + " instances");
            }
            currencies = List.copyOf(currencies);
        }

        /** A single instance (index 0 of 1). */
        public Settings(int customers, int games, long seed, Instant start, double eventsPerSecond, double anomalousShare,
                        List<String> currencies) {
            this(customers, games, seed, start, eventsPerSecond, anomalousShare, currencies, 0, 1);
        }
    }

    /** Instances of one source that can run side by side: the instance index has 12 bits of the id. */
    public static final int MAX_INSTANCES = 4096;

    private enum Step { LOGIN, DEPOSIT, PLAY, WIN_OR_NOT, WITHDRAW, LOGOUT, OFFLINE }

    private static final BigDecimal CENT = new BigDecimal("0.01");

    private final Settings settings;
    private final SplittableRandom random;
    private final GameCatalog catalog;
    private final Customer[] customers;
    private final List<Customer> online = new ArrayList<>();
    private final long nanosPerEvent;
    private final int targetOnline;
    private final long idHigh;
    private long eventNanos;
    private long sequence;

    public CasinoActivitySimulator(Settings settings) {
        this.settings = settings;
        // The game catalog is the same for every instance (same seed); the players are not.
        SplittableRandom shared = new SplittableRandom(settings.seed());
        this.catalog = new GameCatalog(settings.games(), shared.split());
        this.random = settings.instanceCount() == 1 ? shared
                : new SplittableRandom(mix(settings.seed() ^ mix(settings.instanceIndex() + 1L)));
        int n = settings.instanceCount();
        this.customers = new Customer[(settings.customers() - settings.instanceIndex() + n - 1) / n];
        for (int i = 0; i < customers.length; i++) {
            customers[i] = new Customer(settings.instanceIndex() + i * n, random);
        }
        this.idHigh = (runKey(settings) & 0xFFFF_FFFF_FFFF_0000L) | 0x8000L | settings.instanceIndex(); // version 8
        this.nanosPerEvent = Math.max(1, (long) (1e9 / settings.eventsPerSecond()));
        // Roughly 5% of customers are online at any time, at least a few.
        this.targetOnline = Math.max(Math.min(customers.length, 3), customers.length / 20);
    }

    public SimulatedEvent next() {
        while (online.size() < targetOnline) {
            Customer c = customers[random.nextInt(customers.length)];
            if (c.step == Step.OFFLINE) {
                c.step = Step.LOGIN;
                online.add(c);
            }
        }
        int slot = random.nextInt(online.size());
        Customer customer = online.get(slot);
        Instant at = settings.start().plusNanos(eventNanos);
        eventNanos += nanosPerEvent;
        CasinoEvent event = customer.advance(at);
        if (customer.step == Step.OFFLINE) {
            online.set(slot, online.get(online.size() - 1));
            online.remove(online.size() - 1);
        }
        return new SimulatedEvent(event, customer.behaviour);
    }

    /**
     * The id of this run's event number {@code sequence}: a UUID of version 8 (RFC 9562's custom layout) whose first
     * 48 bits are the run key, then the version, then 12 bits of instance index, then the IETF variant and 62 bits
     * of sequence number. Unique within a run and between instances by construction; between runs by the run key.
     */
    UUID eventId(long sequence) {
        return new UUID(idHigh, (sequence & 0x3FFF_FFFF_FFFF_FFFFL) | 0x8000_0000_0000_0000L);
    }

    private UUID nextUuid() {
        return eventId(sequence++);
    }

    /** A hash of everything that shapes the run; equal keys mean the same events (a replay). */
    private static long runKey(Settings s) {
        long h = mix(s.seed());
        h = mix(h ^ s.start().getEpochSecond());
        h = mix(h ^ s.start().getNano());
        h = mix(h ^ s.customers());
        h = mix(h ^ s.games());
        h = mix(h ^ Double.doubleToLongBits(s.eventsPerSecond()));
        h = mix(h ^ Double.doubleToLongBits(s.anomalousShare()));
        h = mix(h ^ s.currencies().hashCode());
        return mix(h ^ s.instanceCount());
    }

    /** SplitMix64's finalizer: every input bit affects every output bit. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    private static BigDecimal money(double amount) {
        return BigDecimal.valueOf(Math.max(0.01, amount)).setScale(2, RoundingMode.HALF_UP);
    }

    /** One customer's session state. */
    private final class Customer {
        final String id;
        final Behaviour behaviour;
        final String currency;
        final double baseStake;
        Step step = Step.OFFLINE;
        double balance;
        GameCatalog.Game game;
        BigDecimal lastBet;
        int roundsLeft;

        Customer(int index, SplittableRandom r) {
            this.id = "C" + String.format("%07d", index);
            double u = r.nextDouble();
            double share = settings.anomalousShare();
            this.behaviour = u >= share ? Behaviour.NORMAL
                    : Behaviour.values()[1 + (int) (u / share * 3) % 3];
            this.currency = settings.currencies().get(r.nextInt(settings.currencies().size()));
            this.baseStake = Math.exp(r.nextGaussian() * 0.9 + 1.0); // log-normal, median about 2.7
            this.balance = r.nextDouble() * 50;
        }

        CasinoEvent advance(Instant at) {
            switch (step) {
                case LOGIN -> {
                    roundsLeft = 5 + random.nextInt(60);
                    game = catalog.pick(random);
                    step = balance < baseStake * 5 ? Step.DEPOSIT : Step.PLAY;
                    return event(at, GameActivity.LOGIN, null, null, null, null, null);
                }
                case DEPOSIT -> {
                    BigDecimal amount = money(baseStake * (20 + random.nextInt(80)));
                    balance += amount.doubleValue();
                    step = Step.PLAY;
                    return event(at, GameActivity.DEPOSIT, null, null, null, null, amount);
                }
                case PLAY -> {
                    if (roundsLeft-- <= 0 || balance < 0.5) {
                        step = balance > baseStake * 40 && random.nextDouble() < 0.5 ? Step.WITHDRAW : Step.LOGOUT;
                        return advance(at);
                    }
                    if (random.nextDouble() < 0.05) {
                        game = catalog.pick(random); // switch game now and then
                    }
                    if (bonusDue()) {
                        BigDecimal bonus = money(baseStake * (behaviour == Behaviour.BONUS_ABUSE ? 2 + random.nextInt(10)
                                : 1 + random.nextInt(5)));
                        balance += bonus.doubleValue();
                        return event(at, GameActivity.BONUS, game, null, null, bonus, null);
                    }
                    double stake = behaviour == Behaviour.BONUS_ABUSE ? 0.10 : baseStake * (0.5 + random.nextDouble() * 1.5);
                    if (behaviour == Behaviour.BET_SPIKE && random.nextDouble() < 0.08) {
                        stake *= 50 + random.nextInt(150);
                    }
                    lastBet = money(Math.min(stake, Math.max(0.10, balance)));
                    balance -= lastBet.doubleValue();
                    step = Step.WIN_OR_NOT;
                    return event(at, GameActivity.BET, game, lastBet, null, null, null);
                }
                case WIN_OR_NOT -> {
                    step = Step.PLAY;
                    double hitRate = behaviour == Behaviour.WIN_STREAK ? 0.92 : game.type().hitRate();
                    if (random.nextDouble() >= hitRate) {
                        return advance(at); // a lost round has no win event
                    }
                    double multiple = behaviour == Behaviour.WIN_STREAK ? 1.8 + random.nextDouble()
                            : -Math.log(1 - random.nextDouble()) * game.meanWinMultiple(); // exponential, mean as RTP wants
                    BigDecimal win = lastBet.multiply(BigDecimal.valueOf(multiple)).setScale(2, RoundingMode.DOWN)
                            .min(lastBet.multiply(game.type().maxMultiplier()));
                    if (win.signum() <= 0) {
                        win = CENT;
                    }
                    balance += win.doubleValue();
                    return event(at, GameActivity.WIN, game, lastBet, win, null, null);
                }
                case WITHDRAW -> {
                    BigDecimal amount = money(balance * (0.5 + random.nextDouble() * 0.5));
                    balance -= amount.doubleValue();
                    step = Step.LOGOUT;
                    return event(at, GameActivity.WITHDRAWAL, null, null, null, null, amount);
                }
                case LOGOUT -> {
                    step = Step.OFFLINE;
                    return event(at, GameActivity.LOGOUT, null, null, null, null, null);
                }
                default -> throw new IllegalStateException("offline customers do not act");
            }
        }

        private boolean bonusDue() {
            // Bonuses cost a normal player's house about 0.5% of stakes, well inside the games' 1-6% edge.
            double p = behaviour == Behaviour.BONUS_ABUSE ? 0.30 : 0.003;
            return random.nextDouble() < p;
        }

        private CasinoEvent event(Instant at, GameActivity activity, GameCatalog.Game g, BigDecimal bet, BigDecimal win,
                                  BigDecimal bonus, BigDecimal transaction) {
            return new CasinoEvent(nextUuid(), id, at, activity.wireName(), g == null ? null : g.id(),
                    g == null ? null : g.type().name(), bet, win, bonus, transaction,
                    activity.movesMoney() ? currency : null, CasinoEvent.CURRENT_SCHEMA_VERSION);
        }
    }
}
