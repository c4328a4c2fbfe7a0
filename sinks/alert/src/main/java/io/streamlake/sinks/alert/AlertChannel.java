package io.streamlake.sinks.alert;

import io.streamlake.core.alert.Alert;

/** Where alerts go (a webhook, e-mail); no Spring in here. */
interface AlertChannel {

    /** The channel's name in metrics and logs: webhook, email. */
    String name();

    /** Whether this channel sends {@code alert} at all (e.g. e-mail only from a severity up). */
    boolean wants(Alert alert);

    /**
     * Sends one alert. {@link Unavailable}: the receiver could not take it now (down, timed out, 5xx, 429), so it is
     * tried again; {@link Refused}: the receiver will never take it (e.g. HTTP 400, a bad address).
     */
    void send(Alert alert) throws Unavailable, Refused;

    /** The receiver is unavailable for now; the same alert is tried again after a backoff. */
    final class Unavailable extends Exception {
        Unavailable(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** The receiver refused the alert itself; it goes to the DLQ with this message. */
    final class Refused extends Exception {
        Refused(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
