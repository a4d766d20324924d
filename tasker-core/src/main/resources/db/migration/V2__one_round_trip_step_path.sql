-- The step path at the speed of PostgreSQL: every hot operation is one call of a server-side
-- function (its statements planned once per connection), a step costs one transaction and one
-- commit, and each step writes as little as its audit trail needs.
--
-- 1. The DAG lives on the step rows, as positions within the task: parents, children and all
--    ancestors, fixed when the step is created. A step also counts the parents it still waits
--    for; a parent that completes decrements its children's counters under their row locks, so
--    when two parents finish in overlapping transactions exactly one of them sees the counter
--    reach zero and enqueues the child. The edges table goes.
-- 2. History costs a row only for an attempt that did not end the step (retried, given back, its
--    lease lost), in tasker_step_attempts, instead of a row per transition. A step's current or
--    last attempt is on its row (enqueued_at, claimed_at, claimed_by, attempts, completed_at), so
--    every state change of every step stays readable with its time, worker and attempt, and a
--    step that runs once writes no history row at all. Task history keeps a row per change
--    after creation.
-- 3. The task row is written only when the task's state changes.
--
-- The functions plan each statement once per connection (plan_cache_mode = force_generic_plan)
-- and only with index lookups and nested loops: a generic plan made while the tables are small
-- would otherwise choose sequential scans and hash joins, and keep them as the tables grow.

-- ---------------------------------------------------------------------------------------------
-- Steps: the DAG as positions, the counter of parents still to complete, when the attempt began.

alter table tasker_steps
    add column parents         int[] not null default '{}',
    add column children        int[] not null default '{}',
    add column ancestors       int[] not null default '{}',
    add column parents_pending int not null default 0,
    add column claimed_at      timestamptz,
    add column result_metadata jsonb;

update tasker_steps s
   set parents = coalesce((select array_agg(p.position order by p.position)
                             from tasker_step_edges e join tasker_steps p on p.id = e.from_step_id
                            where e.to_step_id = s.id), '{}'),
       children = coalesce((select array_agg(c.position order by c.position)
                              from tasker_step_edges e join tasker_steps c on c.id = e.to_step_id
                             where e.from_step_id = s.id), '{}'),
       parents_pending = (select count(*)
                            from tasker_step_edges e join tasker_steps p on p.id = e.from_step_id
                           where e.to_step_id = s.id and p.state not in ('complete', 'resolved_manually')),
       claimed_at = (select max(t.created_at) from tasker_step_transitions t
                      where t.step_id = s.id and t.to_state = 'in_progress'),
       claimed_by = coalesce(s.claimed_by,
                             (select t.metadata ->> 'claimed_by' from tasker_step_transitions t
                               where t.step_id = s.id and t.to_state = 'in_progress' order by t.id desc limit 1)),
       result_metadata = (select t.metadata -> 'metadata' from tasker_step_transitions t
                           where t.step_id = s.id and t.to_state = 'complete' order by t.id desc limit 1);

with recursive reach (step_id, ancestor_id) as (
    select to_step_id, from_step_id from tasker_step_edges
    union
    select r.step_id, e.from_step_id
      from reach r join tasker_step_edges e on e.to_step_id = r.ancestor_id
)
update tasker_steps s
   set ancestors = a.positions
  from (select r.step_id, array_agg(p.position order by p.position) as positions
          from reach r join tasker_steps p on p.id = r.ancestor_id
         group by r.step_id) a
 where s.id = a.step_id;

-- Room on each page for the updates that change no indexed column (a fan-in child's counter, a
-- lease extended by a heartbeat) to stay on the page (HOT).
alter table tasker_steps set (fillfactor = 85);
alter table tasker_tasks set (fillfactor = 90);

-- Steps are found by task and position; names are unique per task by template validation.
alter table tasker_steps drop constraint tasker_steps_task_id_name_key;
alter table tasker_steps add constraint tasker_steps_task_position unique (task_id, position);

-- A heartbeat moves lease_until; with lease_until out of every index it is a HOT update. The
-- lease sweeper reads this index, which holds only the steps in flight, and checks the lease.
drop index tasker_steps_leases;
create index tasker_steps_in_progress on tasker_steps (namespace) where state = 'in_progress';

-- ---------------------------------------------------------------------------------------------
-- Tasks: the open-task index keys on creation time, which never changes; no query reads tasks
-- by template or correlation id yet, so those indexes only cost writes.

drop index tasker_tasks_open;
create index tasker_tasks_open on tasker_tasks (created_at)
    where state not in ('complete', 'error', 'cancelled', 'resolved_manually');
drop index tasker_tasks_by_template;
drop index tasker_tasks_correlation;

-- The creating function reads the template first; a foreign key would also lock the template row
-- in every creating transaction, and concurrent creators of one template would share that lock
-- through a multixact.
alter table tasker_tasks drop constraint tasker_tasks_template_id_fkey;

-- ---------------------------------------------------------------------------------------------
-- History: a row per attempt that did not end its step.

create table tasker_step_attempts (
    task_id      uuid not null,
    step_id      uuid not null,
    -- the attempt this was (1 on the first run); a claim given back unrun keeps its number
    attempt      int not null,
    worker_id    text,
    enqueued_at  timestamptz,
    started_at   timestamptz,
    ended_at     timestamptz not null default now(),
    -- the state the step was left in: complete, waiting_for_retry, enqueued, error, ...
    outcome      text not null,
    -- why, when the outcome alone does not say: lease_expired, released, retry
    reason       text,
    error        jsonb,
    metadata     jsonb
);

-- Append-only and read per task: one index, and no foreign keys, whose checks would lock the
-- step row of every insert.
create index tasker_step_attempts_task on tasker_step_attempts (task_id);

-- Every old transition from in_progress back to waiting ended an attempt that the step row no
-- longer holds.
insert into tasker_step_attempts (task_id, step_id, attempt, worker_id, enqueued_at, started_at, ended_at, outcome,
                                  reason, error, metadata)
select t.task_id, t.step_id,
       coalesce((t.metadata ->> 'attempt')::int,
                (select count(*) from tasker_step_transitions b
                  where b.step_id = t.step_id and b.id < t.id and b.to_state = 'in_progress')),
       coalesce(t.metadata ->> 'worker', t.metadata ->> 'claimed_by',
                (select b.metadata ->> 'claimed_by' from tasker_step_transitions b
                  where b.step_id = t.step_id and b.id < t.id and b.to_state = 'in_progress'
                  order by b.id desc limit 1)),
       (select max(b.created_at) from tasker_step_transitions b
         where b.step_id = t.step_id and b.id < t.id and b.to_state = 'enqueued'),
       (select max(b.created_at) from tasker_step_transitions b
         where b.step_id = t.step_id and b.id < t.id and b.to_state = 'in_progress'),
       t.created_at, t.to_state, t.metadata ->> 'reason', t.metadata -> 'error', t.metadata -> 'metadata'
  from tasker_step_transitions t
 where t.from_state = 'in_progress' and t.to_state in ('waiting_for_retry', 'enqueued');

drop table tasker_step_transitions;
drop table tasker_step_edges;

-- A task's creation is its row (created_at); its history holds what changed after.
delete from tasker_task_transitions where from_state is null or from_state = 'pending';
alter table tasker_task_transitions drop constraint tasker_task_transitions_task_id_fkey;

-- ---------------------------------------------------------------------------------------------
-- What the step functions answer with, one row each: 'recorded' (a finished step recorded, with
-- the task's state when that finished the task), 'claimed' (a step now held, with what its
-- handler needs), 'created', 'duplicate' or 'stale_template' (task creation).

create type tasker_step_row as (
    kind               text,
    step_id            uuid,
    task_id            uuid,
    state              text,
    task_state         text,
    namespace          text,
    name               text,
    handler_callable   text,
    attempts           int,
    max_attempts       int,
    retryable          boolean,
    backoff_base_ms    bigint,
    max_backoff_ms     bigint,
    lease_until        timestamptz,
    template_id        uuid,
    task_name          text,
    task_version       text,
    context            text,
    dependency_results text
);

-- The steps a worker claimed, with everything its handlers need: the task's context and the
-- results of every ancestor by step name, read in the claiming transaction.

create function tasker_claimed_steps(p_ids uuid[])
returns setof tasker_step_row
language plpgsql
set plan_cache_mode = force_generic_plan
set enable_seqscan = off
set enable_hashjoin = off
set enable_mergejoin = off
as $$
begin
    return query
    select 'claimed'::text, c.id, c.task_id, c.state, t.state, c.namespace, c.name, c.handler_callable, c.attempts,
           c.max_attempts, c.retryable, c.backoff_base_ms, c.max_backoff_ms, c.lease_until, t.template_id, t.name,
           t.version, t.context::text,
           (select jsonb_object_agg(a.name, a.results)
              from tasker_steps a
             where a.task_id = c.task_id and a.position = any(c.ancestors) and a.results is not null)::text
      from tasker_steps c
      join tasker_tasks t on t.id = c.task_id
     where c.id = any(p_ids)
     order by c.priority desc, c.enqueued_at, c.id;
end;
$$;

-- Wakes the workers of each namespace given, once per namespace (PostgreSQL also folds repeats
-- within a transaction).
create function tasker_notify(p_namespaces text[])
returns void
language plpgsql
as $$
begin
    perform pg_notify('tasker_ready_' || n.namespace, n.namespace)
       from (select distinct u.namespace from unnest(p_namespaces) as u (namespace)) n;
end;
$$;

-- ---------------------------------------------------------------------------------------------
-- The step cycle: record what finished, advance the DAG, finalize tasks, claim what fits, in
-- one transaction. p_outcomes is a JSON array with one object per finished step:
--   {"step_id", "attempt", "state", "results", "metadata", "error", "retry_in_ms"}
-- where state is the one the step moves to (complete, waiting_for_retry, enqueued for a retry
-- at once, error), decided by the caller. A step is recorded only if p_worker still holds it
-- at that attempt; otherwise nothing is written for it and no row comes back for it.
-- p_claim is how many steps the worker has slots for: children made ready here that it can run
-- are claimed first (it runs a task's next step at once, with no trip through the queue), then
-- the queue in priority order.
-- Returns a 'recorded' row per step recorded, then a 'claimed' row per step claimed.

create function tasker_step_cycle(p_worker text, p_outcomes jsonb, p_namespaces text[], p_callables text[],
                                  p_claim int, p_lease_seconds double precision)
returns setof tasker_step_row
language plpgsql
set plan_cache_mode = force_generic_plan
set enable_seqscan = off
set enable_hashjoin = off
set enable_mergejoin = off
as $$
declare
    v_budget         int := greatest(coalesce(p_claim, 0), 0);
    v_recorded_ids   uuid[] := '{}';
    v_recorded_tasks uuid[] := '{}';
    v_recorded_state text[] := '{}';
    v_retried_now    uuid[] := '{}';
    v_child_tasks    uuid[] := '{}';
    v_child_pos      int[] := '{}';
    v_left_tasks     uuid[] := '{}';
    v_kept_tasks     uuid[] := '{}';
    v_enqueued       uuid[] := '{}';
    v_enqueued_ns    text[] := '{}';
    v_claimed        uuid[] := '{}';
    v_claimed_ns     text[] := '{}';
    v_candidates     uuid[];
    v_final_tasks    uuid[] := '{}';
    v_final_states   text[] := '{}';
begin
    if p_outcomes is not null then
        -- Compare-and-swap on the claim: in progress, held by this worker, at this attempt. The
        -- attempt's worker and times stay on the row; an attempt that is retried goes to the
        -- history first, since the next one will overwrite them.
        -- Fields read with ->, so a result that is JSON null stays JSON null (not SQL NULL).
        with o as (
            select (e.doc ->> 'step_id')::uuid as step_id, (e.doc ->> 'attempt')::int as attempt,
                   e.doc ->> 'state' as state, e.doc -> 'results' as results, e.doc -> 'metadata' as metadata,
                   e.doc -> 'error' as error, (e.doc ->> 'retry_in_ms')::double precision as retry_in_ms
              from jsonb_array_elements(p_outcomes) as e (doc)
        ), changed as (
            update tasker_steps s
               set state = o.state,
                   results = case when o.state = 'complete' then o.results else s.results end,
                   result_metadata = case when o.state = 'complete' then o.metadata else s.result_metadata end,
                   last_error = o.error,
                   lease_until = null,
                   next_attempt_at = case when o.state = 'waiting_for_retry'
                                          then now() + make_interval(secs => o.retry_in_ms / 1000) end,
                   completed_at = case when o.state = 'complete' then now() end,
                   updated_at = now()
              from o
             where s.id = o.step_id and s.state = 'in_progress' and s.claimed_by = p_worker and s.attempts = o.attempt
            returning s.id, s.task_id, s.namespace, s.state, s.children, s.attempts, s.enqueued_at, s.claimed_at,
                      o.error
        ), history as (
            insert into tasker_step_attempts (task_id, step_id, attempt, worker_id, enqueued_at, started_at, outcome,
                                              reason, error)
            select c.task_id, c.id, c.attempts, p_worker, c.enqueued_at, c.claimed_at, c.state,
                   case when c.state = 'enqueued' then 'retry' end, c.error
              from changed c
             where c.state in ('waiting_for_retry', 'enqueued')
        )
        select coalesce(array_agg(c.id), '{}'), coalesce(array_agg(c.task_id), '{}'),
               coalesce(array_agg(c.state::text), '{}'),
               coalesce(array_agg(c.task_id) filter (where c.state in ('complete', 'error')), '{}'),
               coalesce(array_agg(c.task_id) filter (where c.state in ('waiting_for_retry', 'enqueued')), '{}'),
               coalesce(array_agg(c.id) filter (where c.state = 'enqueued'), '{}'),
               coalesce(array_agg(c.namespace) filter (where c.state = 'enqueued'), '{}'),
               coalesce((select array_agg(d.task_id) from changed d, unnest(d.children) as p (position)
                          where d.state = 'complete'), '{}'),
               coalesce((select array_agg(p.position) from changed d, unnest(d.children) as p (position)
                          where d.state = 'complete'), '{}')
          into v_recorded_ids, v_recorded_tasks, v_recorded_state, v_left_tasks, v_kept_tasks, v_retried_now,
               v_enqueued_ns, v_child_tasks, v_child_pos
          from changed c;
        v_enqueued := v_retried_now;

        -- A retry at once starts its wait in the queue now (rare: set apart, so the history above
        -- keeps the attempt's own enqueue time).
        if cardinality(v_retried_now) > 0 then
            update tasker_steps s set enqueued_at = now(), claimed_by = null, claimed_at = null
             where s.id = any(v_retried_now);
        end if;

        -- Children of completed steps: one parent fewer to wait for; ready at zero. A ready child
        -- this worker can run is claimed right here; the others are enqueued. Several rows are
        -- locked in id order first, so transactions sharing fan-in children cannot deadlock.
        if cardinality(v_child_pos) > 0 then
            if cardinality(v_child_pos) > 1 then
                perform 1
                   from tasker_steps c
                   join unnest(v_child_tasks, v_child_pos) as k (task_id, position)
                     on c.task_id = k.task_id and c.position = k.position
                  where c.state = 'pending'
                  order by c.id
                    for no key update of c;
            end if;
            with k as (
                select k.task_id, k.position, count(*)::int as n
                  from unnest(v_child_tasks, v_child_pos) as k (task_id, position)
                 group by k.task_id, k.position
            ), ready as (
                update tasker_steps c
                   set parents_pending = c.parents_pending - k.n,
                       state = case when c.parents_pending > k.n then c.state
                                    when v_budget > 0 and c.namespace = any(p_namespaces)
                                         and (p_callables is null or c.handler_callable = any(p_callables))
                                    then 'in_progress'
                                    else 'enqueued' end,
                       attempts = case when c.parents_pending = k.n and v_budget > 0
                                            and c.namespace = any(p_namespaces)
                                            and (p_callables is null or c.handler_callable = any(p_callables))
                                       then c.attempts + 1 else c.attempts end,
                       claimed_by = case when c.parents_pending = k.n and v_budget > 0
                                              and c.namespace = any(p_namespaces)
                                              and (p_callables is null or c.handler_callable = any(p_callables))
                                         then p_worker else c.claimed_by end,
                       claimed_at = case when c.parents_pending = k.n and v_budget > 0
                                              and c.namespace = any(p_namespaces)
                                              and (p_callables is null or c.handler_callable = any(p_callables))
                                         then now() else c.claimed_at end,
                       lease_until = case when c.parents_pending = k.n and v_budget > 0
                                               and c.namespace = any(p_namespaces)
                                               and (p_callables is null or c.handler_callable = any(p_callables))
                                          then now() + make_interval(secs => p_lease_seconds) else c.lease_until end,
                       enqueued_at = case when c.parents_pending = k.n then now() else c.enqueued_at end,
                       updated_at = case when c.parents_pending = k.n then now() else c.updated_at end
                  from k
                 where c.task_id = k.task_id and c.position = k.position and c.state = 'pending'
                returning c.id, c.task_id, c.namespace, c.state, c.priority, c.position
            )
            select coalesce(array_agg(r.id order by r.priority desc, r.task_id, r.position)
                                filter (where r.state = 'in_progress'), '{}'),
                   coalesce(array_agg(r.namespace order by r.priority desc, r.task_id, r.position)
                                filter (where r.state = 'in_progress'), '{}'),
                   v_enqueued || coalesce(array_agg(r.id) filter (where r.state = 'enqueued'), '{}'),
                   v_enqueued_ns || coalesce(array_agg(r.namespace) filter (where r.state = 'enqueued'), '{}'),
                   v_kept_tasks || coalesce(array_agg(r.task_id) filter (where r.state <> 'pending'), '{}')
              into v_claimed, v_claimed_ns, v_enqueued, v_enqueued_ns, v_kept_tasks
              from ready r;

            -- More ready children than slots (a wide fan-out): the rest go to the queue unrun.
            if cardinality(v_claimed) > v_budget then
                update tasker_steps s
                   set state = 'enqueued', attempts = s.attempts - 1, claimed_by = null, claimed_at = null,
                       lease_until = null
                 where s.id = any(v_claimed[v_budget + 1:]);
                v_enqueued := v_enqueued || v_claimed[v_budget + 1:];
                v_enqueued_ns := v_enqueued_ns || v_claimed_ns[v_budget + 1:];
                v_claimed := v_claimed[1:v_budget];
            end if;
        end if;

        -- A task can only have finished when one of its steps left the active states here and
        -- none became active. Those tasks are locked, in id order, and counted by a statement
        -- that starts after the locks are held, so it sees every recording that committed
        -- before: of two recordings that end a task's last active steps at once, the second
        -- sees the first.
        v_candidates := array(select distinct l.id from unnest(v_left_tasks) as l (id)
                               where l.id <> all(v_kept_tasks) order by l.id);
        if cardinality(v_candidates) > 0 then
            perform 1 from tasker_tasks t where t.id = any(v_candidates) order by t.id for no key update;
            with counts as (
                select s.task_id,
                       count(*) filter (where s.state in ('enqueued', 'in_progress', 'waiting_for_retry')) as active,
                       count(*) filter (where s.state = 'error') as errors,
                       count(*) filter (where s.state not in ('complete', 'resolved_manually')) as unfinished
                  from tasker_steps s
                 where s.task_id = any(v_candidates)
                 group by s.task_id
            ), decided as (
                select c.task_id, c.errors,
                       case when c.unfinished = 0 then 'complete'
                            when c.active = 0 and c.errors > 0 then 'error' end as target
                  from counts c
            ), finished as (
                update tasker_tasks t
                   set state = d.target, updated_at = now(),
                       completed_at = case when d.target = 'complete' then now() end
                  from decided d
                 where t.id = any(v_candidates) and t.id = d.task_id and d.target is not null
                   and t.state = 'in_progress'
                returning t.id, t.state, d.errors
            ), history as (
                insert into tasker_task_transitions (task_id, from_state, to_state, metadata)
                select f.id, 'in_progress', f.state,
                       case when f.state = 'complete' then '{"reason": "all_steps_complete"}'::jsonb
                            else jsonb_build_object('reason', 'steps_failed', 'failed_steps', f.errors) end
                  from finished f
            )
            select coalesce(array_agg(f.id), '{}'), coalesce(array_agg(f.state::text), '{}')
              into v_final_tasks, v_final_states
              from finished f;
        end if;

        return query
        select 'recorded'::text, r.id, r.task_id, r.state, f.state, null::text, null::text, null::text, null::int,
               null::int, null::boolean, null::bigint, null::bigint, null::timestamptz, null::uuid, null::text,
               null::text, null::text, null::text
          from unnest(v_recorded_ids, v_recorded_tasks, v_recorded_state) as r (id, task_id, state)
          left join unnest(v_final_tasks, v_final_states) as f (id, state) on f.id = r.task_id;
    end if;

    -- The slots left take steps from the queue: one ordered scan per namespace, so a claim costs
    -- the same however deep the queue is. Rows a scan locked but the final limit left out stay
    -- enqueued.
    if v_budget > cardinality(v_claimed) and cardinality(p_namespaces) > 0 then
        with picked as (
            select q.id
              from unnest(p_namespaces) as ns (name)
             cross join lateral (
                       select s.id, s.priority, s.enqueued_at
                         from tasker_steps s
                        where s.state = 'enqueued' and s.namespace = ns.name
                          and (p_callables is null or s.handler_callable = any(p_callables))
                        order by s.priority desc, s.enqueued_at, s.id
                        limit v_budget - cardinality(v_claimed)
                          for update skip locked
                   ) q
             order by q.priority desc, q.enqueued_at, q.id
             limit v_budget - cardinality(v_claimed)
        ), claimed as (
            update tasker_steps s
               set state = 'in_progress', attempts = s.attempts + 1, claimed_by = p_worker, claimed_at = now(),
                   lease_until = now() + make_interval(secs => p_lease_seconds), updated_at = now()
              from picked p
             where s.id = p.id
            returning s.id
        )
        select v_claimed || coalesce(array_agg(c.id), '{}') into v_claimed from claimed c;
    end if;

    if cardinality(v_claimed) > 0 then
        return query select * from tasker_claimed_steps(v_claimed);
    end if;

    -- Only steps still waiting need a worker woken; a retried step may have been claimed above.
    if cardinality(v_enqueued) > 0 then
        perform tasker_notify(array(select e.namespace
                                      from unnest(v_enqueued, v_enqueued_ns) as e (id, namespace)
                                     where e.id <> all(v_claimed)));
    end if;
end;
$$;

-- ---------------------------------------------------------------------------------------------
-- Task creation: the task and its steps in one call; returns 'created' (with the task's document
-- when p_document),
-- 'duplicate' with the id of the task that has the identity already, or 'stale_template' when
-- p_newest_only and a newer version of the template is registered (the caller resolved "the
-- newest version" from a cache). Root steps start enqueued, or, up to p_claim of those whose
-- handler is in p_callables, claimed for p_worker, whose process has the slots free.
-- p_layout is the template's steps as a JSON array:
--   {"position", "name", "callable", "max_attempts", "retryable", "backoff_base_ms", "max_backoff_ms",
--    "timeout_seconds", "inputs", "parents", "children", "ancestors"}
-- and p_step_ids gives their ids by position.

create function tasker_create_task(p_task_id uuid, p_template_id uuid, p_newest_only boolean, p_context jsonb,
                                   p_identity text, p_correlation_id uuid, p_priority int, p_initiator text,
                                   p_source_system text, p_reason text, p_tags jsonb, p_layout jsonb,
                                   p_step_ids uuid[], p_worker text, p_callables text[], p_claim int,
                                   p_lease_seconds double precision, p_document boolean)
returns setof tasker_step_row
language plpgsql
set plan_cache_mode = force_generic_plan
set enable_seqscan = off
set enable_hashjoin = off
set enable_mergejoin = off
as $$
declare
    v_template record;
    v_inserted uuid;
    v_waiting  int;
    v_claimed  uuid[];
begin
    select tt.id, tt.namespace, tt.name, tt.version into v_template
      from tasker_templates tt
     where tt.id = p_template_id;
    if not found or (p_newest_only and p_template_id <> (
            select n.id from tasker_templates n
             where n.namespace = v_template.namespace and n.name = v_template.name
             order by n.version_major desc, n.version_minor desc, n.version_patch desc
             limit 1)) then
        return query select 'stale_template'::text, null::uuid, p_task_id, null::text, null::text, null::text,
                            null::text, null::text, null::int, null::int, null::boolean, null::bigint, null::bigint,
                            null::timestamptz, p_template_id, null::text, null::text, null::text, null::text;
        return;
    end if;

    insert into tasker_tasks (id, template_id, namespace, name, version, state, context, identity_hash,
                              correlation_id, priority, initiator, source_system, reason, tags)
    values (p_task_id, p_template_id, v_template.namespace, v_template.name, v_template.version, 'in_progress',
            p_context, p_identity, p_correlation_id, p_priority, p_initiator, p_source_system, p_reason, p_tags)
    on conflict (identity_hash) do nothing
    returning id into v_inserted;

    if v_inserted is null then
        -- A new statement: under READ COMMITTED it sees the task whose insert made ours a no-op.
        return query select 'duplicate'::text, null::uuid, t.id, t.state, t.state, null::text, null::text,
                            null::text, null::int, null::int, null::boolean, null::bigint, null::bigint,
                            null::timestamptz, t.template_id, null::text, null::text, null::text, null::text
                       from tasker_tasks t where t.identity_hash = p_identity;
        return;
    end if;

    with steps as (
        insert into tasker_steps as n (id, task_id, position, name, namespace, handler_callable, state, attempts,
                                       max_attempts, retryable, backoff_base_ms, max_backoff_ms, timeout_seconds,
                                       priority, inputs, parents, children, ancestors, parents_pending, enqueued_at,
                                       claimed_by, claimed_at, lease_until)
        select p_step_ids[l.position], p_task_id, l.position, l.name, v_template.namespace, l.callable, l.state,
               case when l.state = 'in_progress' then 1 else 0 end,
               l.max_attempts, l.retryable, l.backoff_base_ms, l.max_backoff_ms, l.timeout_seconds, p_priority,
               coalesce(l.inputs, '{}'::jsonb), l.parents, l.children, l.ancestors, cardinality(l.parents),
               case when l.state <> 'pending' then now() end,
               case when l.state = 'in_progress' then p_worker end,
               case when l.state = 'in_progress' then now() end,
               case when l.state = 'in_progress' then now() + make_interval(secs => p_lease_seconds) end
          from (select r.*,
                       case when cardinality(r.parents) > 0 then 'pending'
                            when r.claimable and r.rank <= p_claim then 'in_progress'
                            else 'enqueued' end as state
                  from (select j.*,
                               cardinality(j.parents) = 0 and j.callable = any(p_callables) as claimable,
                               count(*) filter (where cardinality(j.parents) = 0 and j.callable = any(p_callables))
                                   over (order by j.position) as rank
                          from jsonb_to_recordset(p_layout)
                               as j (position int, name text, callable text, max_attempts int, retryable boolean,
                                     backoff_base_ms bigint, max_backoff_ms bigint, timeout_seconds int,
                                     inputs jsonb, parents int[], children int[], ancestors int[])) r) l
        returning n.id, n.state
    )
    select count(*) filter (where s.state = 'enqueued'),
           coalesce(array_agg(s.id) filter (where s.state = 'in_progress'), '{}')
      into v_waiting, v_claimed
      from steps s;

    if cardinality(v_claimed) > 0 then
        return query select * from tasker_claimed_steps(v_claimed);
    end if;
    if v_waiting > 0 then
        perform tasker_notify(array[v_template.namespace]);
    end if;
    return query
    select 'created'::text, null::uuid, p_task_id, 'in_progress'::text, 'in_progress'::text, null::text, null::text,
           null::text, null::int, null::int, null::boolean, null::bigint, null::bigint, null::timestamptz,
           p_template_id, null::text, null::text,
           case when p_document then tasker_task_document(p_task_id)::text end, null::text;
end;
$$;

-- ---------------------------------------------------------------------------------------------
-- A task as clients see it, with its steps in template order, read in one statement and so from
-- one snapshot. Timestamps are ISO 8601 strings; numbers in contexts and results stay exact.

create function tasker_task_document(p_task_id uuid)
returns jsonb
language plpgsql
stable
set plan_cache_mode = force_generic_plan
set enable_seqscan = off
set enable_hashjoin = off
set enable_mergejoin = off
as $$
begin
    return (
        select jsonb_build_object(
                   'id', t.id, 'namespace', t.namespace, 'name', t.name, 'version', t.version, 'state', t.state,
                   'context', t.context, 'initiator', t.initiator, 'source_system', t.source_system,
                   'reason', t.reason, 'tags', t.tags, 'priority', t.priority, 'correlation_id', t.correlation_id,
                   'created_at', t.created_at, 'updated_at', t.updated_at, 'completed_at', t.completed_at,
                   'steps', coalesce((
                       select jsonb_agg(jsonb_build_object(
                                  'id', s.id, 'name', s.name, 'handler_callable', s.handler_callable,
                                  'state', s.state,
                                  'depends_on', (select coalesce(jsonb_agg(p.name order by p.position), '[]'::jsonb)
                                                   from tasker_steps p
                                                  where p.task_id = s.task_id and p.position = any(s.parents)),
                                  'attempts', s.attempts, 'max_attempts', s.max_attempts, 'results', s.results,
                                  'last_error', s.last_error, 'next_attempt_at', s.next_attempt_at,
                                  'created_at', s.created_at, 'updated_at', s.updated_at,
                                  'completed_at', s.completed_at) order by s.position)
                         from tasker_steps s
                        where s.task_id = t.id), '[]'::jsonb))
          from tasker_tasks t
         where t.id = p_task_id);
end;
$$;
