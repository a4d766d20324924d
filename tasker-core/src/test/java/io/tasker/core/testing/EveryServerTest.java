package io.tasker.core.testing;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

import javax.sql.DataSource;

/**
 * A test class that runs once per server in {@link TestDatabases#all()}, each test on a fresh
 * migrated database dropped after it. Both annotations are inherited, so a subclass only extends
 * this. JUnit runs a subclass's {@code @BeforeEach} after this one's and its {@code @AfterEach}
 * before, so a subclass may use {@link #dataSource} in both.
 */
@ParameterizedClass
@MethodSource("io.tasker.core.testing.TestDatabases#all")
public abstract class EveryServerTest {
    @Parameter
    private TestServer server;

    protected TestDatabase db;
    protected DataSource dataSource;

    @BeforeEach
    protected final void createDatabase() {
        db = server.createDatabase();
        dataSource = db.dataSource();
    }

    @AfterEach
    protected final void dropDatabase() {
        db.close();
    }
}
