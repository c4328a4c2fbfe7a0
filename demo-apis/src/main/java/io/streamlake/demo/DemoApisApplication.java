package io.streamlake.demo;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * Runs {@link DemoApis} until stopped: {@code java -jar demo-apis.jar --port=8070 [--users=10000] [--transactions=5000]
 * [--transactions-per-second=20] [--api-key=...]} (the API key also from {@code DEMO_APIS_API_KEY}).
 */
public final class DemoApisApplication {

    private DemoApisApplication() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new HashMap<>();
        for (String arg : args) {
            if (!arg.startsWith("--") || !arg.contains("=")) {
                throw new IllegalArgumentException("options are --name=value, not " + arg);
            }
            options.put(arg.substring(2, arg.indexOf('=')), arg.substring(arg.indexOf('=') + 1));
        }
        DemoApis.Settings d = DemoApis.Settings.defaults();
        DemoApis.Settings settings = new DemoApis.Settings(Integer.parseInt(options.getOrDefault("port", "8070")),
                Integer.parseInt(options.getOrDefault("users", Integer.toString(d.users()))),
                options.containsKey("weather-since") ? Instant.parse(options.get("weather-since")) : d.weatherSince(),
                Integer.parseInt(options.getOrDefault("transactions", Integer.toString(d.transactions()))),
                Double.parseDouble(options.getOrDefault("transactions-per-second", Double.toString(d.transactionsPerSecond()))),
                options.getOrDefault("api-key", System.getenv("DEMO_APIS_API_KEY")));
        DemoApis apis = DemoApis.start(settings);
        System.out.println("demo APIs on " + apis.url("/api") + ": /users, /weather?city=..., /transactions");
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            apis.close();
            stopped.countDown();
        }));
        stopped.await();
    }
}
