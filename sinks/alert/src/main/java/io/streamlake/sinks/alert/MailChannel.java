package io.streamlake.sinks.alert;

import io.streamlake.core.alert.Alert;
import jakarta.mail.Authenticator;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.PasswordAuthentication;
import jakarta.mail.SendFailedException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import org.eclipse.angus.mail.smtp.SMTPAddressFailedException;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Properties;

/**
 * Alerts as e-mails over SMTP (Jakarta Mail): plain, STARTTLS (required, not merely tried) or TLS from the first byte,
 * with a user and password when given. One connection per batch of alerts would be cheaper, but alerts are few by
 * design (de-duplicated and rate limited before they get here), and a connection per mail recovers from a server
 * restart without any state. A connection that fails, or a server answering 4xx, is tried again; an address the
 * server refuses for good (5xx) is a refusal.
 */
final class MailChannel implements AlertChannel {

    /** How the connection is secured. */
    enum Security { NONE, STARTTLS, TLS }

    /** The settings a mail channel needs. */
    record Settings(String host, int port, Security security, String username, String password, String from, List<String> to,
                    Alert.Severity minSeverity, Duration timeout, String trustHosts) {
    }

    private final Settings settings;
    private final String protocol;
    private final Session session;
    private final InternetAddress from;
    private final InternetAddress[] to;

    MailChannel(Settings settings) {
        this.settings = settings;
        Properties p = new Properties();
        this.protocol = settings.security() == Security.TLS ? "smtps" : "smtp";
        p.put("mail." + protocol + ".host", settings.host());
        p.put("mail." + protocol + ".port", Integer.toString(settings.port()));
        p.put("mail." + protocol + ".connectiontimeout", Long.toString(settings.timeout().toMillis()));
        p.put("mail." + protocol + ".timeout", Long.toString(settings.timeout().toMillis()));
        p.put("mail." + protocol + ".writetimeout", Long.toString(settings.timeout().toMillis()));
        boolean auth = settings.username() != null && !settings.username().isBlank();
        p.put("mail." + protocol + ".auth", Boolean.toString(auth));
        if (settings.security() == Security.STARTTLS) {
            p.put("mail.smtp.starttls.enable", "true");
            p.put("mail.smtp.starttls.required", "true");
        }
        if (settings.security() != Security.NONE) {
            p.put("mail." + protocol + ".ssl.checkserveridentity", "true");
            if (settings.trustHosts() != null && !settings.trustHosts().isBlank()) {
                p.put("mail." + protocol + ".ssl.trust", settings.trustHosts());
            }
        }
        this.session = Session.getInstance(p, auth ? new Authenticator() {
            @Override
            protected PasswordAuthentication getPasswordAuthentication() {
                return new PasswordAuthentication(settings.username(), settings.password());
            }
        } : null);
        try {
            this.from = new InternetAddress(settings.from(), true);
            this.to = new InternetAddress[settings.to().size()];
            for (int i = 0; i < to.length; i++) {
                to[i] = new InternetAddress(settings.to().get(i), true);
            }
        } catch (AddressException e) {
            throw new IllegalArgumentException("alert.mail: " + e.getMessage(), e);
        }
        if (to.length == 0) {
            throw new IllegalArgumentException("alert.mail.to names no recipient");
        }
    }

    @Override
    public String name() {
        return "email";
    }

    @Override
    public boolean wants(Alert alert) {
        return alert.severity().compareTo(settings.minSeverity()) >= 0;
    }

    /** The subject line: severity, kind, title and what it is about. */
    static String subject(Alert alert) {
        return "[" + alert.severity() + "] " + alert.kind() + ": " + alert.title() + " (" + alert.key() + ")";
    }

    /** The plain-text body: everything the alert says, one line each. */
    static String body(Alert alert) {
        StringBuilder b = new StringBuilder();
        b.append(alert.title()).append("\n\n");
        if (alert.message() != null) {
            b.append(alert.message()).append("\n\n");
        }
        b.append("kind:     ").append(alert.kind()).append('\n');
        b.append("about:    ").append(alert.key()).append('\n');
        b.append("severity: ").append(alert.severity().name().toLowerCase(Locale.ROOT)).append('\n');
        if (alert.score() != null) {
            b.append("score:    ").append(alert.score()).append('\n');
        }
        if (!alert.reasons().isEmpty()) {
            b.append("reasons:  ").append(String.join(", ", alert.reasons())).append('\n');
        }
        b.append("at:       ").append(alert.createdAt()).append('\n');
        if (alert.source() != null) {
            b.append("from:     ").append(alert.source()).append('\n');
        }
        if (alert.details() != null) {
            b.append("details:  ").append(alert.details()).append('\n');
        }
        b.append("alert id: ").append(alert.alertId()).append('\n');
        return b.toString();
    }

    @Override
    public void send(Alert alert) throws Unavailable, Refused {
        try {
            MimeMessage mail = new MimeMessage(session);
            mail.setFrom(from);
            mail.setRecipients(Message.RecipientType.TO, to);
            mail.setSubject(subject(alert), "UTF-8");
            mail.setText(body(alert), "UTF-8");
            mail.setHeader(WebhookChannel.ALERT_ID, alert.alertId());
            mail.setSentDate(java.util.Date.from(alert.createdAt()));
            mail.saveChanges();
            // the session's protocol (smtp or smtps), not Transport.send's choice by address type (always smtp)
            try (Transport transport = session.getTransport(protocol)) {
                transport.connect();
                transport.sendMessage(mail, mail.getAllRecipients());
            }
        } catch (SendFailedException e) {
            // a 5xx to an address is for good; anything else (4xx, a dropped connection) may pass later
            if (permanent(e)) {
                throw new Refused("SMTP " + settings.host() + " refused " + java.util.Arrays.toString(e.getInvalidAddresses())
                        + ": " + e.getMessage(), e);
            }
            throw new Unavailable("SMTP " + settings.host() + ":" + settings.port() + " did not take the mail: " + e.getMessage(), e);
        } catch (MessagingException e) {
            throw new Unavailable("SMTP " + settings.host() + ":" + settings.port() + " unavailable: " + e.getMessage(), e);
        }
    }

    /** Whether the server refused an address for good (a 5xx reply to RCPT TO), not for now. */
    private static boolean permanent(SendFailedException e) {
        for (Exception next = e.getNextException(); next != null;
             next = next instanceof MessagingException m ? m.getNextException() : null) {
            if (next instanceof SMTPAddressFailedException failed && failed.getReturnCode() >= 500) {
                return true;
            }
        }
        return false;
    }
}
