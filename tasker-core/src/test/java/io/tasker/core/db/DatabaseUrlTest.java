package io.tasker.core.db;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DatabaseUrlTest {

    @Test
    void parsesLibpqStyleUrls() {
        DatabaseUrl url = DatabaseUrl.parse("postgresql://alice:s%40cret@db.example:6543/orders?sslmode=require");
        assertThat(url.jdbcUrl()).isEqualTo("jdbc:postgresql://db.example:6543/orders?sslmode=require");
        assertThat(url.user()).isEqualTo("alice");
        assertThat(url.password()).isEqualTo("s@cret");
    }

    @Test
    void parsesUrlWithoutPortOrPassword() {
        DatabaseUrl url = DatabaseUrl.parse("postgresql://postgres@127.0.0.1/test");
        assertThat(url.jdbcUrl()).isEqualTo("jdbc:postgresql://127.0.0.1/test");
        assertThat(url.user()).isEqualTo("postgres");
        assertThat(url.password()).isNull();
    }

    @Test
    void keepsJdbcUrlsAsTheyAre() {
        DatabaseUrl url = DatabaseUrl.parse("jdbc:postgresql://localhost:5432/test?user=postgres");
        assertThat(url.jdbcUrl()).isEqualTo("jdbc:postgresql://localhost:5432/test?user=postgres");
        assertThat(url.withDatabase("other").jdbcUrl()).isEqualTo("jdbc:postgresql://localhost:5432/other?user=postgres");
    }

    @Test
    void rejectsOtherSchemesWithAHint() {
        assertThatThrownBy(() -> DatabaseUrl.parse("mysql://root:pw@localhost/x"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("postgresql://user@host:port/db")
                .hasMessageNotContaining("pw");
    }
}
