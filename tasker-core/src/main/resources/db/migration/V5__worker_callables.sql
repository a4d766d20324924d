-- The workers that run now, and what they run, so that creating a task and reading one can say
-- when no live worker runs one of its steps (a typo in a callable, a worker not started) instead
-- of leaving the step to wait in silence.
--
-- A worker writes its row when it starts, rewrites it on every heartbeat (a third of its lease)
-- and deletes it when it stops cleanly. A worker that dies leaves its row behind; it counts as
-- gone once its heartbeat is older than three of its leases, and a worker starting later deletes
-- rows gone for a day. Times are the database's, so machines with skewed clocks agree.
--
-- Nothing on the step path reads or writes this table.
--
-- Numbered 5 with room for a 4 that may land later: migrations are applied out of order (see
-- Database.migrate), as this table and its neighbours do not depend on each other.
create table tasker_workers (
    worker_id      text primary key,
    namespaces     text[] not null,
    -- Null: the worker claims every callable of its namespaces (a handler layer that cannot list its own).
    callables      text[],
    lease          interval not null,
    started_at     timestamptz not null default now(),
    last_heartbeat timestamptz not null default now()
);
