package io.streamlake.stream;

import io.streamlake.core.event.InvalidEventException;
import io.streamlake.core.event.RejectionReason;
import org.springframework.messaging.Message;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The per-poll skeleton every StreamLake processor and sink runs on: one function call per Kafka poll (a batch-mode
 * binding), so the framework's per-call cost stays off the per-record path. It reads the poll, sends empty and
 * unreadable records to the DLQ with their reason, counts records in, out and rejected, and lets the binder commit
 * the poll's offsets only after the poll's work succeeded: a processor's records are sent by the binder from the
 * returned list, a sink's items are written (with retries) before the consumer returns.
 */
public final class StreamPolls {

    private final DeadLetterPublisher dlq;
    private final RecordMetrics metrics;
    private final RetryLoop retry;

    public StreamPolls(DeadLetterPublisher dlq, RecordMetrics metrics, RetryLoop retry) {
        this.dlq = dlq;
        this.metrics = metrics;
        this.retry = retry;
    }

    /** A processor's function: each poll through {@code processor}; the records it emitted go to {@code output}. */
    public Function<Message<List<Object>>, List<Message<byte[]>>> processor(PollProcessor processor) {
        return message -> {
            KafkaBatch batch = new KafkaBatch(message);
            ProcessorPoll poll = new ProcessorPoll(batch.size());
            long in = 0;
            for (int i = 0; i < batch.size(); i++) {
                byte[] payload = batch.payload(i);
                InboundRecord record = new InboundRecord(batch, i, payload);
                record.replay(processor.isReplay(record));
                if (!record.isReplay()) {
                    in++;
                }
                if (payload == null) {
                    if (!record.isReplay()) {
                        dlq.reject(batch.provenance(i), null, RejectionReason.EMPTY_PAYLOAD, "empty record", null);
                    }
                    continue;
                }
                poll.current = record;
                try {
                    processor.process(record, poll);
                } catch (InvalidEventException e) {
                    poll.reject(e.reason(), e.getMessage(), e);
                }
            }
            metrics.in(in);
            poll.current = null;
            processor.endOfPoll(poll);
            metrics.out(poll.out.size());
            return poll.out;
        };
    }

    /**
     * A sink's consumer: each poll's readable records through {@code sink.read}, then written by {@code sink.write}
     * until the store takes them, reporting to {@code health}.
     */
    public <T> Consumer<Message<List<Object>>> sink(PollSink<T> sink, WriteHealth health) {
        return message -> {
            KafkaBatch batch = new KafkaBatch(message);
            metrics.in(batch.size());
            List<T> items = new ArrayList<>(batch.size());
            for (int i = 0; i < batch.size(); i++) {
                byte[] payload = batch.payload(i);
                if (payload == null) {
                    dlq.reject(batch.provenance(i), null, RejectionReason.EMPTY_PAYLOAD, "empty record", null);
                    continue;
                }
                try {
                    items.add(sink.read(new InboundRecord(batch, i, payload)));
                } catch (InvalidEventException e) {
                    dlq.reject(batch.provenance(i), payload, e.reason(), e.getMessage(), e);
                }
            }
            if (items.isEmpty()) {
                return;
            }
            PollSink.Written written = retry.untilSuccess("writing " + items.size() + " " + sink.describe(), () -> sink.write(items),
                    sink.unavailable(), health);
            metrics.out(written.written());
            for (PollSink.Refused r : written.refused()) {
                dlq.reject(r.from(), r.payload(), RejectionReason.SINK_REJECTED, r.message(), r.cause());
            }
        };
    }

    private final class ProcessorPoll implements PollProcessor.Poll {
        final List<Message<byte[]>> out;
        InboundRecord current;

        ProcessorPoll(int records) {
            this.out = new ArrayList<>(records);
        }

        @Override
        public void emit(Message<byte[]> record) {
            out.add(record);
        }

        @Override
        public void reject(RejectionReason reason, String detail, Throwable cause) {
            if (current == null) {
                throw new IllegalStateException("no current record to reject (after the poll's last record)");
            }
            if (!current.isReplay()) {
                dlq.reject(current.provenance(), current.payload(), reason, detail, cause);
            }
        }
    }
}
