package io.streamlake.kafka.broker;

import io.streamlake.process.ServerProcess;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A single-node Kafka broker in KRaft mode (broker and controller in one process) run as its own JVM:
 * Apache Kafka's {@code kafka.tools.StorageTool} formats the data dir once, then {@code kafka.Kafka} serves
 * on 127.0.0.1. Data survives restarts. For the local run and for tests that need a broker process
 * (tests that only need a broker use spring-kafka-test's in-JVM KRaft broker, see platform-test-support).
 * <pre>
 * java -cp kafka-broker.jar:lib/* io.streamlake.kafka.broker.KafkaBrokerProcess --data-dir DIR [--port 9092]
 * </pre>
 */
public final class KafkaBrokerProcess implements AutoCloseable {

    /** SCDF's bundled H2 database listens here; a broker there would break an SCDF server on the same host. */
    public static final int SCDF_H2_PORT = 19092;

    private final Path dataDir;
    private final int port;
    private final int controllerPort;
    private final String classpath;
    private final String java;
    private final Duration startupTimeout;
    private ServerProcess process;

    private KafkaBrokerProcess(Builder b) {
        if (b.port == SCDF_H2_PORT || b.controllerPort == SCDF_H2_PORT) {
            throw new IllegalArgumentException("port " + SCDF_H2_PORT + " is SCDF's H2 port; pick another for Kafka");
        }
        this.dataDir = b.dataDir.toAbsolutePath();
        this.port = b.port == 0 ? ServerProcess.freeLoopbackPort() : b.port;
        this.controllerPort = b.controllerPort == 0 ? ServerProcess.freeLoopbackPort() : b.controllerPort;
        this.classpath = b.classpath != null ? b.classpath : System.getProperty("java.class.path");
        this.java = b.java != null ? b.java : Path.of(System.getProperty("java.home"), "bin", "java").toString();
        this.startupTimeout = b.startupTimeout;
    }

    public static Builder builder() {
        return new Builder();
    }

    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    public Path dataDir() {
        return dataDir;
    }

    public Path logFile() {
        return dataDir.resolve("broker.log");
    }

    public boolean isRunning() {
        return process != null && process.isAlive();
    }

    public long pid() {
        return process == null ? -1 : process.pid();
    }

    /** Formats the storage on first use, starts the broker and waits until it answers a metadata request. */
    public synchronized KafkaBrokerProcess start() {
        if (isRunning()) {
            return this;
        }
        try {
            Files.createDirectories(dataDir);
            Path config = writeConfig();
            if (!Files.exists(dataDir.resolve("kraft-logs").resolve("meta.properties"))) {
                format(config);
            }
            process = ServerProcess.start("Kafka broker", List.of(java, "-Xms256m", "-Xmx512m", "-XX:+UseG1GC",
                            "-cp", classpath, "kafka.Kafka", config.toString()), dataDir, logFile())
                    .awaitReady(this::answersMetadataRequests, startupTimeout);
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Path writeConfig() throws IOException {
        Path config = dataDir.resolve("server.properties");
        String properties = String.join("\n",
                "# written by KafkaBrokerProcess on each start",
                "process.roles=broker,controller",
                "node.id=1",
                "controller.quorum.voters=1@127.0.0.1:" + controllerPort,
                "listeners=PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort,
                "advertised.listeners=PLAINTEXT://127.0.0.1:" + port,
                "controller.listener.names=CONTROLLER",
                "inter.broker.listener.name=PLAINTEXT",
                "listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT",
                "log.dirs=" + dataDir.resolve("kraft-logs"),
                "num.partitions=1",
                "auto.create.topics.enable=true",
                "offsets.topic.replication.factor=1",
                "transaction.state.log.replication.factor=1",
                "transaction.state.log.min.isr=1",
                "group.initial.rebalance.delay.ms=0",
                "log.retention.hours=72",
                "") ;
        Files.writeString(config, properties);
        return config;
    }

    private void format(Path config) throws IOException {
        Path idFile = dataDir.resolve("cluster.id");
        if (!Files.exists(idFile)) {
            Files.writeString(idFile, Uuid.randomUuid().toString());
        }
        String clusterId = Files.readString(idFile).strip();
        int exit = ServerProcess.start("Kafka storage format", List.of(java, "-cp", classpath,
                        "kafka.tools.StorageTool", "format", "-t", clusterId, "-c", config.toString(), "--ignore-formatted"),
                        dataDir, logFile())
                .awaitExit(Duration.ofSeconds(120));
        if (exit != 0) {
            throw new IllegalStateException("formatting Kafka storage in " + dataDir + " failed (exit " + exit
                    + "); see " + logFile());
        }
    }

    private boolean answersMetadataRequests() {
        Map<String, Object> admin = Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2000, AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 3000);
        try (Admin client = Admin.create(admin)) {
            return !client.describeCluster().nodes().get(3, TimeUnit.SECONDS).isEmpty();
        } catch (Exception notYet) {
            return false;
        }
    }

    /** Controlled shutdown (SIGTERM); forced after 60 s. */
    public synchronized void stop() {
        if (process != null) {
            process.stop(Duration.ofSeconds(60));
            process = null;
        }
    }

    /** SIGKILL, as {@code kill -9}. */
    public synchronized void kill() {
        if (process != null) {
            process.kill();
            process = null;
        }
    }

    @Override
    public void close() {
        stop();
    }


    /**
     * Runs a broker in the foreground until this JVM is stopped (Ctrl-C or SIGTERM stop the broker too).
     * {@code --data-dir DIR [--port 9092] [--controller-port 9093]}
     */
    public static void main(String[] args) throws InterruptedException {
        Builder builder = builder().port(9092).controllerPort(9093);
        List<String> rest = new ArrayList<>(List.of(args));
        for (int i = 0; i < rest.size(); i += 2) {
            String value = i + 1 < rest.size() ? rest.get(i + 1) : null;
            if (value == null) {
                usage(rest.get(i) + " needs a value");
            }
            switch (rest.get(i)) {
                case "--data-dir" -> builder.dataDir(Path.of(value));
                case "--port" -> builder.port(Integer.parseInt(value));
                case "--controller-port" -> builder.controllerPort(Integer.parseInt(value));
                default -> usage("unknown argument " + rest.get(i));
            }
        }
        KafkaBrokerProcess broker;
        try {
            broker = builder.build();
        } catch (IllegalArgumentException e) {
            usage(e.getMessage());
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(broker::stop, "kafka-broker-shutdown"));
        broker.start();
        System.out.println("kafka-broker: Kafka (KRaft) up on " + broker.bootstrapServers() + ", data " + broker.dataDir()
                + ", log " + broker.logFile());
        System.out.flush();
        while (broker.isRunning()) {
            Thread.sleep(1000);
        }
        System.err.println("kafka-broker: the broker process exited; see " + broker.logFile());
        System.exit(1);
    }

    private static void usage(String problem) {
        System.err.println("kafka-broker: " + problem);
        System.err.println("usage: kafka-broker --data-dir DIR [--port 9092] [--controller-port 9093]");
        System.exit(2);
    }

    /** Options for {@link KafkaBrokerProcess}. */
    public static final class Builder {
        private Path dataDir;
        private int port;
        private int controllerPort;
        private String classpath;
        private String java;
        private Duration startupTimeout = Duration.ofSeconds(120);

        public Builder dataDir(Path dataDir) {
            this.dataDir = dataDir;
            return this;
        }

        /** Client port on 127.0.0.1; 0 (the default) picks a free one. */
        public Builder port(int port) {
            this.port = port;
            return this;
        }

        /** KRaft controller port; 0 (the default) picks a free one. */
        public Builder controllerPort(int controllerPort) {
            this.controllerPort = controllerPort;
            return this;
        }

        /** Classpath holding kafka_2.13 and a logging backend; default: this JVM's. */
        public Builder classpath(String classpath) {
            this.classpath = classpath;
            return this;
        }

        public Builder java(String java) {
            this.java = java;
            return this;
        }

        public Builder startupTimeout(Duration startupTimeout) {
            this.startupTimeout = startupTimeout;
            return this;
        }

        public KafkaBrokerProcess build() {
            if (dataDir == null) {
                throw new IllegalArgumentException("--data-dir is required");
            }
            return new KafkaBrokerProcess(this);
        }
    }
}
