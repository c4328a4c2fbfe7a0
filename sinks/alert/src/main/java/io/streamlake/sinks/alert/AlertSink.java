package io.streamlake.sinks.alert;

import io.streamlake.core.alert.Alert;
import io.streamlake.core.event.InvalidEventException;
import io.streamlake.stream.DeadLetterPublisher;
import io.streamlake.stream.InboundRecord;
import io.streamlake.stream.PollSink;

import java.util.List;

/**
 * The alert sink on the per-poll skeleton: each record read as an {@link Alert} (what is not one goes to the DLQ with
 * the reason), the poll's alerts delivered by {@link AlertDelivery}; a channel's refusal goes to the DLQ as
 * SINK_REJECTED with the channel's answer.
 */
final class AlertSink implements PollSink<AlertDelivery.Pending<AlertSink.Origin>> {

    /** Where an alert came from: its record's position and bytes, for a dead letter. */
    record Origin(DeadLetterPublisher.Provenance from, byte[] payload) {
    }

    private final AlertDelivery<Origin> delivery;

    AlertSink(AlertDelivery<Origin> delivery) {
        this.delivery = delivery;
    }

    @Override
    public AlertDelivery.Pending<Origin> read(InboundRecord record) throws InvalidEventException {
        return new AlertDelivery.Pending<>(Alert.parse(record.payload()), new Origin(record.provenance(), record.payload()));
    }

    @Override
    public Written write(List<AlertDelivery.Pending<Origin>> items) throws AlertChannel.Unavailable {
        AlertDelivery.Outcome<Origin> outcome = delivery.deliver(items);
        return new Written(outcome.handled(), outcome.refused().stream()
                .map(r -> new Refused(r.alert().origin().from(), r.alert().origin().payload(),
                        r.channel() + ": " + r.cause().getMessage(), r.cause()))
                .toList());
    }

    @Override
    public Class<AlertChannel.Unavailable> unavailable() {
        return AlertChannel.Unavailable.class;
    }

    @Override
    public String describe() {
        return "alerts";
    }
}
