package io.tasker.examples.approvals;

/** A manager's approval. */
public final class ManagerApproval extends Approval {
    public ManagerApproval() {
        super("manager");
    }
}
