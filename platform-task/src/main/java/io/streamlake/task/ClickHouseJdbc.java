package io.streamlake.task;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;

/**
 * Where a task finds ClickHouse, and a connection to it through clickhouse-jdbc: the settings every task app that
 * reads ClickHouse nests under its own prefix ({@code <app>.clickhouse.url} and so on).
 */
public class ClickHouseJdbc {

    /** JDBC URL, e.g. jdbc:clickhouse://127.0.0.1:8123/streamlake (the embedded server needs ?compress=false). */
    private String url = "jdbc:clickhouse://127.0.0.1:8123/streamlake";

    /** User name. */
    private String username = "default";

    /** Password. */
    private String password = "";

    /** A new connection; the caller closes it. */
    public Connection open() throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", username);
        p.setProperty("password", password);
        return DriverManager.getConnection(url, p);
    }

    public String getUrl() {
        return url;
    }

    public void setUrl(String url) {
        this.url = url;
    }

    public String getUsername() {
        return username;
    }

    public void setUsername(String username) {
        this.username = username;
    }

    public String getPassword() {
        return password;
    }

    public void setPassword(String password) {
        this.password = password;
    }
}
