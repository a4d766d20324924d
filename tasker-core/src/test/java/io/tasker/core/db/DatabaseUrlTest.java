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

    @Test
    void printsThePasswordMaskedWhereverItWasGiven() {
        assertThat(DatabaseUrl.parse("postgresql://alice:s%40cret@db.example:6543/orders").toString())
                .isEqualTo("jdbc:postgresql://db.example:6543/orders (user alice)");
        assertThat(DatabaseUrl.parse("jdbc:postgresql://db.example/orders?user=alice&password=s3cret&sslmode=require")
                .toString()).isEqualTo("jdbc:postgresql://db.example/orders?user=alice&password=***&sslmode=require");
        assertThat(DatabaseUrl.parse("jdbc:postgresql://db.example/orders?PASSWORD=s3cret&sslpassword=k3y").toString())
                .isEqualTo("jdbc:postgresql://db.example/orders?PASSWORD=***&sslpassword=***");
        assertThat(DatabaseUrl.parse("postgresql://alice@db.example/orders?password=s3cret").toString())
                .isEqualTo("jdbc:postgresql://db.example/orders?password=*** (user alice)");
    }

    @Test
    void masksPasswordsInAnyText() {
        assertThat(DatabaseUrl.redact("cannot reach postgresql://alice:p@ss/w0rd@db:5432/x; "
                + "also jdbc:postgresql://db/x?user=a&password=hunter2 and ?password=&x=1"))
                .isEqualTo("cannot reach postgresql://alice:***@db:5432/x; "
                        + "also jdbc:postgresql://db/x?user=a&password=*** and ?password=***&x=1");
        assertThat(DatabaseUrl.redact("jdbc:postgresql://db:5432/x (user postgres)"))
                .isEqualTo("jdbc:postgresql://db:5432/x (user postgres)");
    }

    @Test
    void aMalformedUrlIsQuotedWithoutItsPassword() {
        assertThatThrownBy(() -> DatabaseUrl.parse("postgresql://alice:hunter2@/orders?password=hunter2"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("alice:***@")
                .hasMessageNotContaining("hunter2");
    }

    @Test
    void knowsWhetherAPasswordIsGivenAndWhichServerItNames() {
        DatabaseUrl jdbc = DatabaseUrl.parse("jdbc:postgresql://localhost:6000/x?user=postgres&password=pw");
        assertThat(jdbc.hasPassword()).isTrue();
        assertThat(jdbc.userName()).contains("postgres");
        assertThat(jdbc.host()).contains("localhost");
        assertThat(jdbc.port()).hasValue(6000);

        DatabaseUrl libpq = DatabaseUrl.parse("postgresql://postgres@[::1]/x");
        assertThat(libpq.hasPassword()).isFalse();
        assertThat(libpq.withPassword("pw").hasPassword()).isTrue();
        assertThat(libpq.host()).contains("::1");
        assertThat(libpq.port()).hasValue(5432);

        DatabaseUrl several = DatabaseUrl.parse("jdbc:postgresql://a:1,b:2/x");
        assertThat(several.host()).isEmpty();
        assertThat(several.port()).isEmpty();
    }
}
