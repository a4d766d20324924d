package io.tasker.orchestration.internal;

import io.tasker.core.queue.StepQueue;

import javax.sql.DataSource;

/** Makes retries whose backoff has passed claimable again, in bounded batches. */
public final class RetryPoller {
    private final DataSource dataSource;
    private final int batchSize;

    public RetryPoller(DataSource dataSource, int batchSize) {
        this.dataSource = dataSource;
        this.batchSize = batchSize;
    }

    /** Returns how many steps became claimable; keeps going while whole batches come due. */
    public int poll() {
        int total = 0;
        int batch;
        do {
            batch = StepQueue.enqueueDueRetries(dataSource, batchSize);
            total += batch;
        } while (batch == batchSize);
        return total;
    }
}
