package io.streamlake.serving.dashboard;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

/**
 * The StreamLake dashboard: pages people look at, behind a login. {@code --hash-password} instead prints the hash of a
 * password read from standard input (for dashboard.users[n].password-hash) and exits, starting nothing.
 */
@SpringBootApplication
public class DashboardApplication {

    public static void main(String[] args) throws Exception {
        if (args.length == 1 && args[0].equals("--hash-password")) {
            String password = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
            if (password == null || password.isEmpty()) {
                System.err.println("no password on standard input");
                System.exit(2);
            }
            System.out.println(PasswordEncoderFactories.createDelegatingPasswordEncoder().encode(password));
            return;
        }
        SpringApplication.run(DashboardApplication.class, args);
    }
}
