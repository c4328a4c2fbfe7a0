package io.streamlake.stream;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.streamlake.core.event.RejectionReason;

import java.util.EnumMap;
import java.util.Map;

/**
 * The counters every app keeps: {@code streamlake.records.in}, {@code streamlake.records.out} and
 * {@code streamlake.records.rejected} (tagged with the reason), all tagged with the app. On Prometheus:
 * {@code streamlake_records_in_total{app="event-validator"}} and so on.
 */
public class RecordMetrics {

    private final Counter in;
    private final Counter out;
    private final Map<RejectionReason, Counter> rejected = new EnumMap<>(RejectionReason.class);

    public RecordMetrics(MeterRegistry registry, String app) {
        this.in = Counter.builder("streamlake.records.in").description("records received").tag("app", app).register(registry);
        this.out = Counter.builder("streamlake.records.out").description("records passed on or stored").tag("app", app)
                .register(registry);
        for (RejectionReason reason : RejectionReason.values()) {
            rejected.put(reason, Counter.builder("streamlake.records.rejected").description("records sent to the DLQ")
                    .tag("app", app).tag("reason", reason.name()).register(registry));
        }
    }

    public void in(long n) {
        in.increment(n);
    }

    public void out(long n) {
        out.increment(n);
    }

    public void rejected(RejectionReason reason) {
        rejected.get(reason).increment();
    }

    public double rejectedCount(RejectionReason reason) {
        return rejected.get(reason).count();
    }

    public double inCount() {
        return in.count();
    }

    public double outCount() {
        return out.count();
    }
}
