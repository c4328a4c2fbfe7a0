package io.streamlake.sinks.alert;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.streamlake.core.alert.Alert;
import io.streamlake.process.ServerProcess;
import io.streamlake.stream.WriteHealth;
import io.streamlake.testsupport.Await;
import io.streamlake.testsupport.KafkaTestBroker;
import io.streamlake.testsupport.TestRedis;
import io.streamlake.testsupport.TopicReader;
import io.streamlake.testsupport.UniqueNames;
import jakarta.mail.internet.MimeMessage;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.actuate.health.Status;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sink as SCDF runs it (binding "input", the real binder and broker), delivering to a real HTTP receiver and a real
 * SMTP server (GreenMail; over TLS with a certificate the test makes), its gate in the machine's Redis.
 */
class AlertSinkStreamTest {

    @TempDir
    static Path certificates;

    /** A certificate for 127.0.0.1 (so the sink checks the server's identity for real), made with the JDK's keytool. */
    @BeforeAll
    static void tlsCertificateForTheMailServer() throws Exception {
        Path keystore = certificates.resolve("smtp.p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(), "-genkeypair",
                "-alias", "greenmail", "-keyalg", "RSA", "-keysize", "2048", "-validity", "2", "-dname", "CN=127.0.0.1",
                "-ext", "SAN=ip:127.0.0.1", "-keystore", keystore.toString(), "-storetype", "PKCS12", "-storepass", "changeit",
                "-keypass", "changeit").redirectErrorStream(true).start();
        assertThat(keytool.waitFor()).as(new String(keytool.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).isZero();
        System.setProperty("greenmail.tls.keystore.file", keystore.toString());
        System.setProperty("greenmail.tls.keystore.password", "changeit");
        System.setProperty("greenmail.tls.key.password", "changeit");
        System.setProperty("greenmail.startup.timeout", "20000"); // two busy cores: TLS set-up takes a while
    }

    private static ConfigurableApplicationContext sink(String in, String dlq, WebhookReceiver webhook, int smtpPort,
                                                       String security, String... extra) {
        List<String> args = new ArrayList<>(List.of("--spring.cloud.stream.kafka.binder.brokers=" + KafkaTestBroker.bootstrapServers(),
                "--spring.cloud.stream.bindings.input.destination=" + in, "--spring.cloud.stream.bindings.input.group=alerts",
                "--spring.cloud.stream.kafka.bindings.input.consumer.configuration.auto.offset.reset=earliest",
                "--streamlake.dlq.destination=" + dlq, "--streamlake.sink.retry.max-backoff=1s",
                "--alert.redis-uri=redis://" + TestRedis.host() + ":" + TestRedis.port(),
                "--alert.redis-prefix=" + UniqueNames.next("alert_it") + ":",
                "--alert.webhook.url=" + webhook.url(), "--alert.webhook.secret=hush",
                "--alert.mail.host=127.0.0.1", "--alert.mail.port=" + smtpPort, "--alert.mail.security=" + security,
                "--alert.mail.username=alerts", "--alert.mail.password=s3cret", "--alert.mail.trust-hosts=127.0.0.1",
                "--alert.mail.from=streamlake@streamlake.test", "--alert.mail.to=oncall@streamlake.test,risk@streamlake.test"));
        args.addAll(List.of(extra));
        return new SpringApplicationBuilder(AlertApplication.class).web(WebApplicationType.NONE).run(args.toArray(String[]::new));
    }

    /** GreenMail, started, with the sink's user; closing stops it. */
    private record MailServer(GreenMail greenMail) implements AutoCloseable {
        MimeMessage[] getReceivedMessages() {
            return greenMail.getReceivedMessages();
        }

        @Override
        public void close() {
            greenMail.stop();
        }
    }

    private static MailServer mailServer(int port, String protocol) {
        GreenMail mail = new GreenMail(new ServerSetup(port, "127.0.0.1", protocol));
        mail.setUser("alerts@streamlake.test", "alerts", "s3cret");
        mail.start();
        return new MailServer(mail);
    }

    private static byte[] alert(String id, String key, Alert.Severity severity) {
        return new Alert(id, "fraud", severity, key, "Bet spike", "bet 40x the hour's average", "fraud-scorer",
                Instant.parse("2026-12-03T10:15:00Z"), 0.97, List.of("BET_SPIKE"), null).toJson();
    }

    private static void send(String topic, byte[]... values) throws Exception {
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(KafkaTestBroker.producerProperties())) {
            for (byte[] v : values) {
                producer.send(new ProducerRecord<>(topic, v)).get();
            }
        }
    }

    @Test
    void alertsGoSignedToTheWebhookAndByTlsMailOnceASubjectAndWhatIsNotAnAlertToTheDlq() throws Exception {
        String in = KafkaTestBroker.createTopic("alerts", 1);
        String dlq = KafkaTestBroker.createTopic("alerts_dlq", 1);
        int smtps = ServerProcess.freeLoopbackPort();
        try (WebhookReceiver webhook = new WebhookReceiver(0); MailServer mail = mailServer(smtps, "smtps");
             ConfigurableApplicationContext app = sink(in, dlq, webhook, smtps, "TLS")) {
            webhook.refuseMarker = "\"C404\"";
            send(in, alert("a1", "C1", Alert.Severity.CRITICAL), alert("a2", "C1", Alert.Severity.CRITICAL),
                    alert("a3", "C2", Alert.Severity.WARNING), alert("a4", "C3", Alert.Severity.INFO),
                    "not json".getBytes(StandardCharsets.UTF_8), "{\"alert_id\": \"a5\", \"kind\": \"fraud\"}".getBytes(StandardCharsets.UTF_8),
                    alert("a6", "C404", Alert.Severity.INFO));
            List<ConsumerRecord<byte[], byte[]>> dead = TopicReader.read(dlq, 3, Duration.ofSeconds(60));
            assertThat(dead).extracting(r -> TopicReader.header(r, "x-dlq-reason"))
                    .containsExactly("MALFORMED_JSON", "MISSING_FIELD", "SINK_REJECTED");
            assertThat(TopicReader.header(dead.get(2), "x-dlq-detail")).contains("webhook", "HTTP 400", "unknown customer");

            // a2 is about C1 again within the window: suppressed; a4 is INFO: webhook only; a6 refused by the webhook
            Await.until(() -> webhook.accepted.size() >= 3 && mail.getReceivedMessages().length >= 4, Duration.ofSeconds(30),
                    "3 webhook calls, 2 mails to 2 recipients");
            Thread.sleep(1000);
            assertThat(webhook.accepted).extracting(r -> r.header(WebhookChannel.ALERT_ID)).containsExactly("a1", "a3", "a4");
            for (WebhookReceiver.Received r : webhook.accepted) {
                long timestamp = Long.parseLong(r.header(WebhookChannel.TIMESTAMP));
                assertThat(Math.abs(Instant.now().getEpochSecond() - timestamp)).isLessThan(60);
                // the receiver's check: HMAC-SHA256 of "<timestamp>.<body>" under the shared secret
                assertThat(r.header(WebhookChannel.SIGNATURE))
                        .isEqualTo(WebhookChannel.signature("hush".getBytes(StandardCharsets.UTF_8), timestamp, r.body()));
                assertThat(Alert.parse(r.body()).alertId()).isEqualTo(r.header(WebhookChannel.ALERT_ID));
            }
            MimeMessage[] mails = mail.getReceivedMessages();
            assertThat(mails).hasSize(4);
            assertThat(Arrays.stream(mails).map(m -> {
                try {
                    return m.getSubject();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }).distinct()).containsExactlyInAnyOrder("[CRITICAL] fraud: Bet spike (C1)", "[WARNING] fraud: Bet spike (C2)");
            assertThat(mails[0].getHeader(WebhookChannel.ALERT_ID)[0]).isIn("a1", "a3");
            assertThat(String.valueOf(mails[0].getContent())).contains("reasons:  BET_SPIKE", "score:    0.97");
            assertThat(app.getBean(io.micrometer.core.instrument.MeterRegistry.class).get("streamlake.alerts.suppressed")
                    .tag("reason", "duplicate").counter().count()).isEqualTo(1);
        }
    }

    @Test
    void aWebhookAndAMailServerDownThenUpLoseNothingAndSendNothingTwice() throws Exception {
        String in = KafkaTestBroker.createTopic("alerts", 1);
        String dlq = KafkaTestBroker.createTopic("alerts_dlq", 1);
        int smtp = ServerProcess.freeLoopbackPort();
        try (WebhookReceiver webhook = new WebhookReceiver(4); ConfigurableApplicationContext app = sink(in, dlq, webhook, smtp, "NONE")) {
            send(in, alert("b1", "C1", Alert.Severity.CRITICAL), alert("b2", "C2", Alert.Severity.CRITICAL),
                    alert("b3", "C3", Alert.Severity.CRITICAL));
            WriteHealth health = app.getBean("alertDelivery", WriteHealth.class);
            // the webhook answers 503 four times, then takes b1; the mail server is not there yet
            Await.until(() -> webhook.attempts.get() >= 5 && health.health().getStatus().equals(Status.DOWN)
                            && String.valueOf(health.health().getDetails().get("error")).contains("SMTP 127.0.0.1:" + smtp),
                    Duration.ofSeconds(30), "retries against both channels, health DOWN naming the mail server");
            try (MailServer mail = mailServer(smtp, "smtp")) {
                Await.until(() -> mail.getReceivedMessages().length >= 6 && webhook.accepted.size() >= 3, Duration.ofSeconds(30),
                        "every alert by both channels once the mail server is up");
                Thread.sleep(1500);
                assertThat(webhook.accepted).extracting(r -> r.header(WebhookChannel.ALERT_ID)).containsExactly("b1", "b2", "b3");
                assertThat(mail.getReceivedMessages()).hasSize(6); // 3 alerts, 2 recipients
                Await.until(() -> health.health().getStatus().equals(Status.UP), Duration.ofSeconds(10), "health UP again");
            }
        }
    }
}
