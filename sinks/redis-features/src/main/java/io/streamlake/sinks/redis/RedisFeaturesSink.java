package io.streamlake.sinks.redis;

import io.streamlake.core.event.InvalidEventException;
import io.streamlake.features.redis.FeastRedisWriter;
import io.streamlake.features.row.FeatureRow;
import io.streamlake.features.row.FeatureRowJson;
import io.streamlake.stream.InboundRecord;
import io.streamlake.stream.PollSink;

import java.util.List;

/**
 * The redis-features sink on the per-poll skeleton: each record read as a feature row and checked against the
 * feature registry (what does not fit is rejected with the reason), the poll's rows written to Redis in Feast's
 * layout in one pipeline.
 */
final class RedisFeaturesSink implements PollSink<FeatureRow> {

    private final FeatureRowJson rows;
    private final FeastRedisWriter writer;

    RedisFeaturesSink(FeatureRowJson rows, FeastRedisWriter writer) {
        this.rows = rows;
        this.writer = writer;
    }

    @Override
    public FeatureRow read(InboundRecord record) throws InvalidEventException {
        return rows.read(record.payload());
    }

    @Override
    public Written write(List<FeatureRow> items) throws FeastRedisWriter.RedisUnavailableException {
        return Written.all(writer.write(items).written());
    }

    @Override
    public Class<FeastRedisWriter.RedisUnavailableException> unavailable() {
        return FeastRedisWriter.RedisUnavailableException.class;
    }

    @Override
    public String describe() {
        return "feature rows to Redis";
    }
}
