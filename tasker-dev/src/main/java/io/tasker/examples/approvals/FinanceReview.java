package io.tasker.examples.approvals;

/** Finance's approval of a large request. */
public final class FinanceReview extends Approval {
    public FinanceReview() {
        super("finance");
    }
}
