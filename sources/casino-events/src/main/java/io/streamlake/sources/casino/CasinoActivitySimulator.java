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
                           double anomalousShare, List<String> currencies) {
        public Settings {
            if (customers < 1 || eventsPerSecond <= 0 || anomalousShare < 0 || anomalousShare > 1 || currencies.isEmpty()) {
                throw new IllegalArgumentException("customers >= 1, events per second > 0, anomalous share in [0, 1]"
                        + " and at least one currency are required");
            }
            currencies = List.copyOf(currencies);
        }
    }

    private enum Step { LOGIN, DEPOSIT, PLAY, WIN_OR_NOT, WITHDRAW, LOGOUT, OFFLINE }

    private static final BigDecimal CENT = new BigDecimal("0.01");

    private final Settings settings;
    private final SplittableRandom random;
    private final GameCatalog catalog;
    private final Customer[] customers;
    private final List<Customer> online = new ArrayList<>();
    private final long nanosPerEvent;
    private final int targetOnline;
    private long eventNanos;

    public CasinoActivitySimulator(Settings settings) {
        this.settings = settings;
        this.random = new SplittableRandom(settings.seed());
        this.catalog = new GameCatalog(settings.games(), random.split());
        this.customers = new Customer[settings.customers()];
        for (int i = 0; i < customers.length; i++) {
            customers[i] = new Customer(i, random);
        }
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

    private UUID nextUuid() {
        long msb = (random.nextLong() & ~0xF000L) | 0x4000L; // version 4
        long lsb = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L; // IETF variant
        return new UUID(msb, lsb);
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
