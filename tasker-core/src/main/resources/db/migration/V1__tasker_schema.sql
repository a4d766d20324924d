-- Tasker schema: the system of record and the queue live in the same tables, so a step's
-- state and its place in the queue can never disagree.
--
-- Ids are UUID v7, generated in Java (time-ordered, so primary-key inserts stay local in the
-- b-tree). Current state is a column changed by compare-and-swap; every change also appends a
-- row to the matching *_transitions table in the same transaction.

create table tasker_namespaces (
    name        text primary key,
    created_at  timestamptz not null default now()
);

create table tasker_templates (
    id            uuid primary key,
    namespace     text not null references tasker_namespaces (name),
    name          text not null,
    version       text not null,
    -- numeric version parts, so "newest version" is an index scan, not a sort in Java
    version_major int not null,
    version_minor int not null,
    version_patch int not null,
    content_hash  text not null,
    definition    jsonb not null,
    source        text,
    created_at    timestamptz not null default now(),
    unique (namespace, name, version)
);

create index tasker_templates_newest
    on tasker_templates (namespace, name, version_major desc, version_minor desc, version_patch desc);

create table tasker_tasks (
    id              uuid primary key,
    template_id     uuid not null references tasker_templates (id),
    namespace       text not null,
    name            text not null,
    version         text not null,
    state           text not null,
    context         jsonb not null default '{}'::jsonb,
    identity_hash   text not null,
    correlation_id  uuid,
    priority        int not null default 0,
    initiator       text,
    source_system   text,
    reason          text,
    tags            jsonb not null default '[]'::jsonb,
    created_at      timestamptz not null default now(),
    updated_at      timestamptz not null default now(),
    completed_at    timestamptz
);

create unique index tasker_tasks_identity on tasker_tasks (identity_hash);
create index tasker_tasks_correlation on tasker_tasks (correlation_id) where correlation_id is not null;
-- open tasks only: the stale-task sweeper's cost does not grow with finished tasks
create index tasker_tasks_open on tasker_tasks (updated_at)
    where state not in ('complete', 'error', 'cancelled', 'resolved_manually');
create index tasker_tasks_by_template on tasker_tasks (namespace, name, created_at desc);
-- newest tasks first (the task list), without sorting the whole table
create index tasker_tasks_recent on tasker_tasks (created_at desc, id desc);

create table tasker_steps (
    id               uuid primary key,
    task_id          uuid not null references tasker_tasks (id) on delete cascade,
    -- the step's place in its template, so a task's steps always read in the order the author wrote
    position         int not null,
    name             text not null,
    namespace        text not null,
    handler_callable text not null,
    state            text not null,
    attempts         int not null default 0,
    max_attempts     int not null,
    retryable        boolean not null,
    backoff_base_ms  bigint not null,
    max_backoff_ms   bigint not null,
    timeout_seconds  int not null,
    priority         int not null default 0,
    inputs           jsonb not null default '{}'::jsonb,
    results          jsonb,
    last_error       jsonb,
    claimed_by       text,
    lease_until      timestamptz,
    next_attempt_at  timestamptz,
    enqueued_at      timestamptz,
    created_at       timestamptz not null default now(),
    updated_at       timestamptz not null default now(),
    completed_at     timestamptz,
    unique (task_id, name)
);

-- The queue: claimable steps per namespace in dispatch order (the time-ordered id breaks ties
-- between steps enqueued by one transaction). Partial, so it only ever holds what is waiting
-- to run.
create index tasker_steps_claimable on tasker_steps (namespace, priority desc, enqueued_at, id)
    where state = 'enqueued';
-- Leases to recover when a worker dies.
create index tasker_steps_leases on tasker_steps (lease_until)
    where state = 'in_progress';
-- Retries that come due.
create index tasker_steps_retries on tasker_steps (next_attempt_at)
    where state = 'waiting_for_retry';

create table tasker_step_edges (
    task_id       uuid not null references tasker_tasks (id) on delete cascade,
    from_step_id  uuid not null references tasker_steps (id) on delete cascade,
    to_step_id    uuid not null references tasker_steps (id) on delete cascade,
    primary key (from_step_id, to_step_id)
);

create index tasker_step_edges_to on tasker_step_edges (to_step_id);

create table tasker_task_transitions (
    id          bigint generated always as identity primary key,
    task_id     uuid not null references tasker_tasks (id) on delete cascade,
    from_state  text,
    to_state    text not null,
    metadata    jsonb,
    created_at  timestamptz not null default now()
);

create index tasker_task_transitions_task on tasker_task_transitions (task_id, id);

create table tasker_step_transitions (
    id          bigint generated always as identity primary key,
    step_id     uuid not null references tasker_steps (id) on delete cascade,
    task_id     uuid not null,
    from_state  text,
    to_state    text not null,
    metadata    jsonb,
    created_at  timestamptz not null default now()
);

create index tasker_step_transitions_step on tasker_step_transitions (step_id, id);
create index tasker_step_transitions_task on tasker_step_transitions (task_id, id);

create table tasker_dead_letters (
    id           uuid primary key,
    task_id      uuid not null references tasker_tasks (id) on delete cascade,
    reason       text not null,
    task_state   text not null,
    details      jsonb,
    created_at   timestamptz not null default now(),
    resolved_at  timestamptz
);

create unique index tasker_dead_letters_open on tasker_dead_letters (task_id) where resolved_at is null;
