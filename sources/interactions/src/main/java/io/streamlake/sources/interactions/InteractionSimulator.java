package io.streamlake.sources.interactions;

import io.streamlake.core.contract.Contract;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import java.util.UUID;

/**
 * Simulated user interactions on a shop's web and app surfaces, as the {@code user-interaction} contract declares
 * them; no Spring in here. Users come back in sessions (a login first, most of the time); what they do follows a
 * funnel (page views and searches, clicks, carts, checkouts, purchases), each kind with its own error rate and latency
 * (log-normal, in ms). The rate follows the hour of the day (a quiet night, an evening peak) and wobbles minute to
 * minute ({@link #rate}); the source paces itself to it.
 * <p>Incidents make one interaction type's error rate or latency jump by a factor for some minutes; the events they
 * touch, and only those, carry {@code incident:<type>:<kind>} as ground truth (everything else {@code normal}), so
 * a report can be checked against what really happened.
 */
public final class InteractionSimulator {

    /** What an incident changes. */
    public enum Kind { ERROR_RATE, LATENCY }

    /** An interaction type's error rate or latency multiplied by {@code factor} from {@code start} for {@code duration}. */
    public record Incident(String type, Kind kind, Instant start, Duration duration, double factor) {
        boolean covers(String t, Instant at) {
            return type.equals(t) && !at.isBefore(start) && at.isBefore(start.plus(duration));
        }

        String label() {
            return "incident:" + type + ":" + kind.name().toLowerCase();
        }
    }

    /** The simulation's settings; {@code instanceIndex} of {@code instanceCount} keeps ids disjoint across instances. */
    public record Settings(int users, long seed, double eventsPerSecond, List<Incident> incidents, int instanceIndex,
                           int instanceCount) {
    }

    /** One interaction: its values in the contract's field order, and its ground truth. */
    public record Interaction(Object[] values, String groundTruth) {
    }

    /** Interaction types, their share of events, error rate and median latency (ms). */
    private static final String[] TYPES = {"page_view", "search", "click", "add_to_cart", "checkout", "purchase", "login",
            "error_page"};
    private static final double[] SHARE = {0.38, 0.14, 0.2, 0.08, 0.04, 0.03, 0.08, 0.05};
    private static final double[] ERROR_RATE = {0.01, 0.02, 0.005, 0.01, 0.03, 0.02, 0.04, 1.0};
    private static final double[] MEDIAN_MS = {120, 240, 60, 90, 420, 650, 180, 80};
    private static final String[] DEVICES = {"mobile", "mobile", "mobile", "desktop", "desktop", "tablet"};
    private static final String[] COUNTRIES = {"MT", "DE", "FR", "IT", "ES", "GB", "SE", "NL"};
    private static final String[] PAGES = {"/", "/catalog", "/deals", "/cart", "/account", "/help"};
    private static final String[] QUERIES = {"shoes", "red dress", "phone case", "headphones", "garden chair", "lamp"};

    private final Settings settings;
    private final Contract contract;
    private final Random random;
    private final int[] index;
    private final double[] cumulative = new double[TYPES.length];
    private long sequence;
    /** The time of the first event: part of every id, so a restarted source never repeats one. */
    private long idBase = Long.MIN_VALUE;
    private final String[] sessions;
    /** The minute (since the epoch) whose rate {@link #rateOfMinute} holds. */
    private long rateMinute = Long.MIN_VALUE;
    private double rateOfMinute;

    public InteractionSimulator(Settings settings, Contract contract) {
        this.settings = settings;
        this.contract = contract;
        this.random = new Random(settings.seed() * 31 + settings.instanceIndex());
        this.index = new int[] {field("interaction_id"), field("user_id"), field("session_id"), field("interaction_type"),
                field("item_id"), field("page_url"), field("device_type"), field("duration_ms"), field("search_query"),
                field("timestamp"), field("status"), field("latency_ms"), field("country")};
        double sum = 0;
        for (int i = 0; i < TYPES.length; i++) {
            sum += SHARE[i];
            cumulative[i] = sum;
        }
        this.sessions = new String[settings.users()];
    }

    private int field(String name) {
        if (contract.field(name) == null) {
            throw new IllegalArgumentException("the contract " + contract + " has no field " + name
                    + " (the interactions source writes user-interaction events)");
        }
        return contract.field(name).index();
    }

    /**
     * Events per second at {@code at}: the configured rate times the hour-of-day shape (0.25 at 04:00 UTC, 1.75 at
     * 20:00) times a per-minute wobble of ±15 %, the same for a given minute and seed.
     */
    public double rate(Instant at) {
        long minute = Math.floorDiv(at.getEpochSecond(), 60);
        if (minute != rateMinute) { // the rate is a minute's: computed once a minute, not once an event
            double hour = Math.floorMod(minute, 1440) / 60.0;
            double daily = 1 + 0.75 * Math.sin((hour - 14) / 24 * 2 * Math.PI);
            double wobble = 1 + 0.15 * (new Random(settings.seed() ^ minute * 0x9E3779B97F4A7C15L).nextDouble() * 2 - 1);
            rateOfMinute = settings.eventsPerSecond() * daily * wobble;
            rateMinute = minute;
        }
        return rateOfMinute;
    }

    /** The next interaction, happening at {@code at}. */
    public Interaction next(Instant at) {
        int user = (int) Math.min(settings.users() - 1, Math.abs(random.nextGaussian()) * settings.users() / 3);
        int type = type();
        if (sessions[user] == null || random.nextInt(40) == 0) {
            sessions[user] = new UUID(settings.seed() * 7 + settings.instanceIndex(), sequence).toString();
            type = 6; // a session starts with a login
        }
        String name = TYPES[type];
        String truth = "normal";
        double errorRate = ERROR_RATE[type];
        double median = MEDIAN_MS[type];
        for (Incident incident : settings.incidents()) {
            if (incident.covers(name, at)) {
                truth = incident.label();
                if (incident.kind() == Kind.ERROR_RATE) {
                    errorRate = Math.min(1, errorRate * incident.factor());
                } else {
                    median *= incident.factor();
                }
            }
        }
        Object[] v = new Object[contract.fields().size()];
        if (idBase == Long.MIN_VALUE) {
            idBase = at.toEpochMilli();
        }
        v[index[0]] = new UUID(idBase << 12 | (settings.instanceIndex() & 0xFFF), sequence++);
        v[index[1]] = "U" + (user * settings.instanceCount() + settings.instanceIndex());
        v[index[2]] = sessions[user];
        v[index[3]] = name;
        String item = "SKU-" + (10_000 + random.nextInt(2_000));
        switch (name) {
            case "page_view", "error_page" -> v[index[5]] = "https://shop.example.com" + PAGES[random.nextInt(PAGES.length)];
            case "search" -> v[index[8]] = QUERIES[random.nextInt(QUERIES.length)];
            case "click", "add_to_cart", "purchase", "checkout" -> v[index[4]] = item;
            default -> {
            }
        }
        if (name.equals("page_view")) {
            v[index[7]] = (long) (2000 + random.nextInt(60_000));
        }
        v[index[6]] = DEVICES[random.nextInt(DEVICES.length)];
        v[index[9]] = at;
        v[index[10]] = random.nextDouble() < errorRate ? "error" : "success";
        v[index[11]] = Math.max(1L, Math.round(median * Math.exp(0.5 * random.nextGaussian())));
        v[index[12]] = COUNTRIES[Math.min(COUNTRIES.length - 1, (int) Math.abs(random.nextGaussian() * 2.5))];
        return new Interaction(v, truth);
    }

    private int type() {
        double x = random.nextDouble() * cumulative[cumulative.length - 1];
        for (int i = 0; i < cumulative.length; i++) {
            if (x < cumulative[i]) {
                return i;
            }
        }
        return 0;
    }
}
