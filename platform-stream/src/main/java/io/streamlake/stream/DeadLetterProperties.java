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

    /** Records sent to the DLQ within alert-window that make an operational alert (kind dlq_rate); 0: none. */
    private int alertThreshold = 100;

    /** The window the DLQ rate is counted over. */
    private java.time.Duration alertWindow = java.time.Duration.ofMinutes(1);

    /** After a DLQ-rate alert, how long before the next one (a barrage of bad input is one alert). */
    private java.time.Duration alertQuiet = java.time.Duration.ofMinutes(10);

    /** Kafka topic the DLQ-rate alerts go to (the alert sink's input). */
    private String alertTopic = "alerts";

    public String getDestination() {
        return destination;
    }

    public void setDestination(String destination) {
        this.destination = destination;
    }

    public int getAlertThreshold() {
        return alertThreshold;
    }

    public void setAlertThreshold(int alertThreshold) {
        this.alertThreshold = alertThreshold;
    }

    public java.time.Duration getAlertWindow() {
        return alertWindow;
    }

    public void setAlertWindow(java.time.Duration alertWindow) {
        this.alertWindow = alertWindow;
    }

    public java.time.Duration getAlertQuiet() {
        return alertQuiet;
    }

    public void setAlertQuiet(java.time.Duration alertQuiet) {
        this.alertQuiet = alertQuiet;
    }

    public String getAlertTopic() {
        return alertTopic;
    }

    public void setAlertTopic(String alertTopic) {
        this.alertTopic = alertTopic;
    }

    public int getMaxPayloadBytes() {
        return maxPayloadBytes;
    }

    public void setMaxPayloadBytes(int maxPayloadBytes) {
        this.maxPayloadBytes = maxPayloadBytes;
    }
}
