package io.streamlake.serving.dashboard;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpStatus;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.HttpStatusEntryPoint;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;

/**
 * Wires the dashboard: its ClickHouse reads and who may see them. Form login (Spring Security's page), CSRF on (its
 * default), passwords kept only as hashes (DelegatingPasswordEncoder: {bcrypt} and the other {id} forms), VIEWER the
 * role every page needs; the JSON API answers 401 rather than a redirect to a caller without a session.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(DashboardProperties.class)
class DashboardConfiguration {

    @Bean
    LiveAnalytics liveAnalytics(DashboardProperties p) {
        return new LiveAnalytics(p.getClickhouseUrl(), p.getClickhouseUsername(), p.getClickhousePassword(), p.getCasinoTable(),
                p.getMaxMinutes());
    }

    @Bean
    PasswordEncoder passwordEncoder() {
        return PasswordEncoderFactories.createDelegatingPasswordEncoder();
    }

    @Bean
    UserDetailsService users(DashboardProperties p) {
        if (p.getUsers().isEmpty()) {
            throw new IllegalStateException("dashboard.users: no one may log in; add a user with a password hash"
                    + " (dashboard.users[0].name, dashboard.users[0].password-hash={bcrypt}..., from bin/dashboard-password)");
        }
        InMemoryUserDetailsManager manager = new InMemoryUserDetailsManager();
        for (DashboardProperties.User u : p.getUsers()) {
            if (u.getName() == null || u.getName().isBlank() || u.getPasswordHash() == null || !u.getPasswordHash().startsWith("{")) {
                throw new IllegalStateException("dashboard.users: each user needs a name and a password hash in the {id}hash"
                        + " form (e.g. {bcrypt}$2a$10$...), never a plain password: " + u.getName());
            }
            manager.createUser(User.withUsername(u.getName()).password(u.getPasswordHash())
                    .roles(u.getRoles().toArray(String[]::new)).build());
        }
        return manager;
    }

    @Bean
    SecurityFilterChain security(HttpSecurity http) throws Exception {
        return http
                .authorizeHttpRequests(a -> a
                        .requestMatchers("/actuator/health", "/actuator/info", "/actuator/prometheus").permitAll()
                        .requestMatchers("/login", "/vendor/**", "/dashboard.css").permitAll()
                        .anyRequest().hasAnyRole("VIEWER", "ADMIN"))
                .formLogin(f -> f.defaultSuccessUrl("/", false))
                .logout(l -> l.logoutSuccessUrl("/login?logout"))
                .exceptionHandling(e -> e.defaultAuthenticationEntryPointFor(new HttpStatusEntryPoint(HttpStatus.UNAUTHORIZED),
                        PathPatternRequestMatcher.withDefaults().matcher("/api/**")))
                .build();
    }
}
