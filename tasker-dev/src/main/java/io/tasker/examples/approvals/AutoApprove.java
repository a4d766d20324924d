package io.tasker.examples.approvals;

/** The approval of a small request, by the system. */
public final class AutoApprove extends Approval {
    public AutoApprove() {
        super("system");
    }
}
