package io.streamlake.task;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * ClickHouse's HTTP interface, for what JDBC cannot do: stream a query's result in a ClickHouse output format
 * (CSVWithNames, Parquet) straight into a file, without holding it in memory (historical-features' training sets,
 * interaction-report's minute extracts).
 */
public final class ClickHouseHttp {

    private final URI endpoint;
    private final String database;
    private final String user;
    private final String password;

    /** The HTTP side of the JDBC settings: {@code jdbc:clickhouse://host:port/db} or {@code jdbc:clickhouse:http://host:port/db}. */
    public ClickHouseHttp(ClickHouseJdbc jdbc) {
        String rest = jdbc.getUrl().replaceFirst("^jdbc:(clickhouse|ch):", "").replaceFirst("\\?.*$", "");
        URI uri = URI.create(rest.startsWith("//") ? "http:" + rest : rest);
        this.endpoint = URI.create(uri.getScheme() + "://" + uri.getHost() + ":" + (uri.getPort() < 0 ? 8123 : uri.getPort()) + "/");
        String path = uri.getPath() == null ? "" : uri.getPath().replaceFirst("^/", "");
        this.database = path.isEmpty() ? "default" : path;
        this.user = jdbc.getUsername();
        this.password = jdbc.getPassword();
    }

    /** Runs {@code select} with {@code FORMAT format} and writes the answer to {@code target} (replaced atomically). */
    public long export(String select, String format, Path target) throws IOException {
        HttpURLConnection c = (HttpURLConnection) URI.create(endpoint + "?database=" + URLEncoder.encode(database, StandardCharsets.UTF_8))
                .toURL().openConnection();
        c.setRequestMethod("POST");
        c.setDoOutput(true);
        c.setRequestProperty("X-ClickHouse-User", user);
        c.setRequestProperty("X-ClickHouse-Key", password);
        try (OutputStream out = c.getOutputStream()) {
            out.write((select + " FORMAT " + format).getBytes(StandardCharsets.UTF_8));
        }
        if (c.getResponseCode() != 200) {
            try (InputStream err = c.getErrorStream()) {
                throw new IOException("ClickHouse answered HTTP " + c.getResponseCode() + " to the export query: "
                        + (err == null ? "" : new String(err.readAllBytes(), StandardCharsets.UTF_8)));
            }
        }
        Path partial = target.resolveSibling(target.getFileName() + ".partial");
        try (InputStream in = c.getInputStream()) {
            Files.copy(in, partial, StandardCopyOption.REPLACE_EXISTING);
        }
        Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return Files.size(target);
    }
}
