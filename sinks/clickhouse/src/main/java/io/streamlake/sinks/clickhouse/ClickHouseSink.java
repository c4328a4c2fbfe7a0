package io.streamlake.sinks.clickhouse;

import io.streamlake.stream.DeadLetterPublisher;
import io.streamlake.stream.InboundRecord;
import io.streamlake.stream.PollSink;

import java.util.ArrayList;
import java.util.List;

/**
 * The clickhouse sink on the per-poll skeleton: each record as it came (ClickHouse itself parses the JSON and refuses
 * what does not fit the table), written by {@link ClickHouseBatchWriter}; rows ClickHouse refused go back to the
 * skeleton for the DLQ.
 */
final class ClickHouseSink implements PollSink<SinkRecord> {

    private final ClickHouseBatchWriter writer;

    ClickHouseSink(ClickHouseBatchWriter writer) {
        this.writer = writer;
    }

    @Override
    public SinkRecord read(InboundRecord record) {
        DeadLetterPublisher.Provenance from = record.provenance();
        return new SinkRecord(from.topic(), from.partition() == null ? -1 : from.partition(), from.offset() == null ? -1 : from.offset(),
                record.key(), record.payload());
    }

    @Override
    public Written write(List<SinkRecord> records) throws ClickHouseBatchWriter.TransientWriteException {
        ClickHouseBatchWriter.Outcome outcome = writer.write(records);
        List<Refused> refused = new ArrayList<>(outcome.rejected().size());
        for (ClickHouseBatchWriter.Rejected r : outcome.rejected()) {
            SinkRecord s = r.record();
            refused.add(new Refused(new DeadLetterPublisher.Provenance(s.topic(), s.partition(), s.offset(), s.key()), s.payload(),
                    r.message(), r.cause()));
        }
        return new Written(outcome.written(), refused);
    }

    @Override
    public Class<ClickHouseBatchWriter.TransientWriteException> unavailable() {
        return ClickHouseBatchWriter.TransientWriteException.class;
    }

    @Override
    public String describe() {
        return "records to ClickHouse";
    }
}
