package io.streamlake.stream;

import org.springframework.boot.context.properties.ConfigurationProperties;

/** Where an app sends the records it rejects. Shared by every StreamLake stream app. */
@ConfigurationProperties("streamlake.dlq")
public class DeadLetterProperties {

    /**
     * Kafka topic for rejected records; each carries its reason, the exception, the app and the original
     * topic/partition/offset in x-dlq-* headers.
     */
    private String destination = "streamlake.dlq";

    /**
     * Largest payload copied to the DLQ as is; longer payloads are cut to this size and marked with the
     * x-dlq-payload-truncated and x-dlq-original-size headers, so one huge record cannot block the DLQ.
     */
    private int maxPayloadBytes = 262144; // 256 KiB, written out so the metadata shows the default

    public String getDestination() {
        return destination;
    }

    public void setDestination(String destination) {
        this.destination = destination;
    }

    public int getMaxPayloadBytes() {
        return maxPayloadBytes;
    }

    public void setMaxPayloadBytes(int maxPayloadBytes) {
        this.maxPayloadBytes = maxPayloadBytes;
    }
}
