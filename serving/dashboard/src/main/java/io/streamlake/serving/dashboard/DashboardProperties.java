package io.streamlake.serving.dashboard;

import org.springframework.boot.context.properties.ConfigurationProperties;

import java.util.ArrayList;
import java.util.List;

/** Settings of the dashboard. Passwords are hashes; secrets come from the environment. */
@ConfigurationProperties("dashboard")
public class DashboardProperties {

    /** ClickHouse holding the casino table and its views, e.g. jdbc:clickhouse://127.0.0.1:8123/streamlake. */
    private String clickhouseUrl = "jdbc:clickhouse://127.0.0.1:8123/streamlake";

    /** ClickHouse user. */
    private String clickhouseUsername = "default";

    /** ClickHouse password (from the environment: DASHBOARD_CLICKHOUSE_PASSWORD). */
    private String clickhousePassword = "";

    /** The clickhouse sink's casino table; its per-minute view is this name with _game_minute. */
    private String casinoTable = "casino_events";

    /** The longest range a chart may ask for, in minutes; the default range is an hour. */
    private int maxMinutes = 1440;

    /**
     * Who may log in: each a name, a password hash in Spring Security's form ({bcrypt}$2a$..., made with
     * bin/dashboard-password) and roles (VIEWER reads every page; ADMIN is for pages that act, none yet). No users: the
     * dashboard does not start.
     */
    private List<User> users = new ArrayList<>();

    /** A dashboard user. */
    public static class User {
        /** Login name. */
        private String name;
        /** Password hash, e.g. {bcrypt}$2a$10$...; never the password itself. */
        private String passwordHash;
        /** Roles, VIEWER by default. */
        private List<String> roles = new ArrayList<>(List.of("VIEWER"));

        public String getName() { return name; }
        public void setName(String name) { this.name = name; }
        public String getPasswordHash() { return passwordHash; }
        public void setPasswordHash(String passwordHash) { this.passwordHash = passwordHash; }
        public List<String> getRoles() { return roles; }
        public void setRoles(List<String> roles) { this.roles = roles; }
    }

    public String getClickhouseUrl() { return clickhouseUrl; }
    public void setClickhouseUrl(String clickhouseUrl) { this.clickhouseUrl = clickhouseUrl; }
    public String getClickhouseUsername() { return clickhouseUsername; }
    public void setClickhouseUsername(String clickhouseUsername) { this.clickhouseUsername = clickhouseUsername; }
    public String getClickhousePassword() { return clickhousePassword; }
    public void setClickhousePassword(String clickhousePassword) { this.clickhousePassword = clickhousePassword; }
    public String getCasinoTable() { return casinoTable; }
    public void setCasinoTable(String casinoTable) { this.casinoTable = casinoTable; }
    public int getMaxMinutes() { return maxMinutes; }
    public void setMaxMinutes(int maxMinutes) { this.maxMinutes = maxMinutes; }
    public List<User> getUsers() { return users; }
    public void setUsers(List<User> users) { this.users = users; }
}
