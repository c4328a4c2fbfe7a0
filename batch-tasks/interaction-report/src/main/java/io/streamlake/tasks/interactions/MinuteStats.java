package io.streamlake.tasks.interactions;

/** One interaction type's numbers for one minute: events, errors and latency percentiles (ms). */
record MinuteStats(String type, long events, long errors, double p50, double p95, double p99) {

    double errorRate() {
        return events == 0 ? 0 : (double) errors / events;
    }
}
