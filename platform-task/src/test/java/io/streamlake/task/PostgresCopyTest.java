package io.streamlake.task;

import io.streamlake.testsupport.TestPostgres;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** COPY rows written value by value reach real PostgreSQL exactly, across buffer flushes and for any text. */
class PostgresCopyTest {

    private final String schema = TestPostgres.createSchema("copy");

    @AfterEach
    void drop() {
        TestPostgres.dropSchema(schema);
    }

    @Test
    void everyValueArrivesExactly() throws Exception {
        TestPostgres.run("CREATE TABLE " + schema + ".t (i int, n bigint, s text, d numeric(18,2), at timestamptz, id uuid)");
        String[] texts = {"plain", "", "tab\there", "line\nbreak", "cr\rhere", "back\\slash", "\\N", "caf\u00e9 \\ \t x",
                "\u20ac\n", "emoji \ud83c\udfb0", "nul\u0000dropped", "x".repeat(70_000)};
        Random random = new Random(3);
        List<Object[]> expected = new ArrayList<>();
        try (SingleConnectionDataSource ds = new SingleConnectionDataSource(TestPostgres.jdbcUrl(), TestPostgres.user(),
                TestPostgres.password(), true)) {
            PostgresCopy copy = PostgresCopy.into(ds, schema + ".t", "i, n, s, d, at, id");
            for (int i = 0; i < 3_000; i++) {
                long n = random.nextLong();
                String s = random.nextInt(5) == 0 ? null : texts[random.nextInt(texts.length)];
                BigDecimal d = random.nextBoolean() ? null : BigDecimal.valueOf(random.nextLong(-1_000_000_000L, 1_000_000_000L), 2);
                Instant at = Instant.ofEpochSecond(random.nextLong(-30_000_000_000L, 200_000_000_000L),
                        switch (random.nextInt(3)) {
                            case 0 -> random.nextInt(1000) * 1_000_000;
                            case 1 -> random.nextInt(1_000_000) * 1_000;
                            default -> 0;
                        });
                UUID id = new UUID(random.nextLong(), random.nextLong());
                copy.value(i).value(n).value(s).value(d).value(at).value(id).endRow();
                expected.add(new Object[]{n, s == null ? null : s.replace("\u0000", ""), d, at, id});
            }
            assertThat(copy.finish()).isEqualTo(3_000);

            List<Object[]> actual = new ArrayList<>();
            try (Connection c = ds.getConnection(); Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT n, s, d, at, id FROM " + schema + ".t ORDER BY i")) {
                while (rs.next()) {
                    actual.add(new Object[]{rs.getLong(1), rs.getString(2), rs.getBigDecimal(3),
                            rs.getObject(4, java.time.OffsetDateTime.class).toInstant(), rs.getObject(5, UUID.class)});
                }
            }
            assertThat(actual).hasSameSizeAs(expected);
            for (int i = 0; i < expected.size(); i++) {
                assertThat(actual.get(i)).as("row %d", i).containsExactly(expected.get(i));
            }
        }
    }

    @Test
    void numbersDatesAndTextOfEveryShapeArriveExactly() throws Exception {
        TestPostgres.run("CREATE TABLE " + schema + ".t (i int, d numeric(18,2), r numeric(6,5), k date, c char(3))");
        List<String> numbers = List.of("0", "0.00", "-0.01", "0.05", "1", "10000", "12345.67", "-9999999999999999.99",
                "9999999999999999.99", "100000000.10", "0.1", "7E+3", "-42.5");
        List<LocalDate> dates = List.of(LocalDate.of(2000, 1, 1), LocalDate.of(1999, 12, 31), LocalDate.of(1970, 1, 1),
                LocalDate.of(2026, 11, 23), LocalDate.of(9999, 12, 31), LocalDate.of(1, 1, 1));
        try (SingleConnectionDataSource ds = new SingleConnectionDataSource(TestPostgres.jdbcUrl(), TestPostgres.user(),
                TestPostgres.password(), true)) {
            PostgresCopy copy = PostgresCopy.into(ds, schema + ".t", "i, d, r, k, c");
            for (int i = 0; i < numbers.size(); i++) {
                copy.value(i).value(new BigDecimal(numbers.get(i))).value(new BigDecimal("0.96500"))
                        .value(dates.get(i % dates.size())).value(i % 2 == 0 ? "EUR" : "€").endRow();
            }
            assertThat(copy.finish()).isEqualTo(numbers.size());
            try (Connection c = ds.getConnection(); Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT d, r, k, c FROM " + schema + ".t ORDER BY i")) {
                for (int i = 0; i < numbers.size(); i++) {
                    assertThat(rs.next()).isTrue();
                    assertThat(rs.getBigDecimal(1)).as(numbers.get(i)).isEqualByComparingTo(numbers.get(i));
                    assertThat(rs.getBigDecimal(2)).isEqualByComparingTo("0.965");
                    assertThat(rs.getObject(3, LocalDate.class)).isEqualTo(dates.get(i % dates.size()));
                    assertThat(rs.getString(4)).isEqualTo(i % 2 == 0 ? "EUR" : "€  ");
                }
            }
        }
    }

    @Test
    void aFailingCopySaysWhichTable() throws Exception {
        TestPostgres.run("CREATE TABLE " + schema + ".t (n bigint)");
        try (SingleConnectionDataSource ds = new SingleConnectionDataSource(TestPostgres.jdbcUrl(), TestPostgres.user(),
                TestPostgres.password(), true)) {
            PostgresCopy copy = PostgresCopy.into(ds, schema + ".t", "n");
            copy.value("not a number").endRow();
            assertThatThrownBy(copy::finish).isInstanceOf(IllegalStateException.class).hasMessageContaining("COPY into " + schema + ".t");
        }
    }
}
