package io.streamlake.sinks.alert;

import io.streamlake.core.alert.Alert;

import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Sends a poll's alerts through the gate to every channel that wants them; no Spring in here. When a channel is
 * unavailable the whole poll is tried again (the skeleton's retry loop, offsets uncommitted), so this class remembers,
 * until the poll is through, what it already sent where and what the gate decided: a retry sends only what is left,
 * and counts nothing twice. Alerts refused by a channel come back for the DLQ.
 *
 * @param <O> where an alert came from (for its dead letter)
 */
final class AlertDelivery<O> {

    /** Told what happened to each alert on each channel (metrics, the log). */
    interface Listener {
        void delivered(String channel, Alert alert);

        void suppressed(String channel, Alert alert, AlertGate.Verdict why);
    }

    /** An alert and where it came from. */
    record Pending<O>(Alert alert, O origin) {
    }

    /** A channel's refusal of an alert. */
    record Refusal<O>(Pending<O> alert, String channel, AlertChannel.Refused cause) {
    }

    /** What a poll came to: alerts handled (sent, suppressed), and refusals. */
    record Outcome<O>(long handled, List<Refusal<O>> refused) {
    }

    private final AlertGate gate;
    private final List<AlertChannel> channels;
    private final Listener listener;
    private final Clock clock;

    /** The gate's verdicts and the sends done in the poll being delivered, kept across its retries. */
    private final Map<String, AlertGate.Verdict> verdicts = new HashMap<>();
    private final Set<String> done = new HashSet<>();
    private final List<Refusal<O>> refused = new ArrayList<>();

    AlertDelivery(AlertGate gate, List<AlertChannel> channels, Listener listener, Clock clock) {
        this.gate = gate;
        this.channels = List.copyOf(channels);
        this.listener = listener;
        this.clock = clock;
    }

    /** Delivers the poll; {@link AlertChannel.Unavailable} leaves what is done remembered for the retry. */
    Outcome<O> deliver(List<Pending<O>> poll) throws AlertChannel.Unavailable {
        for (Pending<O> pending : poll) {
            Alert alert = pending.alert();
            AlertGate.Verdict dedup = verdicts.get(alert.alertId());
            if (dedup == null) {
                dedup = gate.deduplicate(alert);
                verdicts.put(alert.alertId(), dedup);
                if (dedup == AlertGate.Verdict.DUPLICATE) {
                    listener.suppressed("all", alert, dedup);
                }
            }
            if (dedup == AlertGate.Verdict.DUPLICATE) {
                continue;
            }
            for (AlertChannel channel : channels) {
                String sent = alert.alertId() + "\u0000" + channel.name();
                if (!channel.wants(alert) || done.contains(sent)) {
                    continue;
                }
                AlertGate.Verdict rate = verdicts.get(sent);
                if (rate == null) {
                    rate = gate.rateLimit(channel.name(), clock.instant());
                    verdicts.put(sent, rate);
                }
                if (rate == AlertGate.Verdict.RATE_LIMITED) {
                    listener.suppressed(channel.name(), alert, rate);
                } else {
                    try {
                        channel.send(alert);
                        listener.delivered(channel.name(), alert);
                    } catch (AlertChannel.Refused e) {
                        refused.add(new Refusal<>(pending, channel.name(), e));
                    }
                }
                done.add(sent);
            }
        }
        Outcome<O> outcome = new Outcome<>(poll.size() - refused.stream().map(r -> r.alert().alert().alertId()).distinct().count(),
                List.copyOf(refused));
        verdicts.clear();
        done.clear();
        refused.clear();
        return outcome;
    }
}
