-- Batch processing, first part: checkpoints, and a claimed step that carries its inputs and its
-- checkpoint (docs/dynamic-workflows.md). A batch worker saves its progress (a cursor, how many
-- items it processed, partial results) by sending a checkpoint in the step cycle; a retry, a
-- worker's crash or an operator's retry resumes from it.
--
-- Independent of the migrations numbered around it but V6 (applied out of order, see
-- Database.migrate): it replaces V6's step cycle and task creation with versions that do the same,
-- plus what is described here.

-- The last checkpoint a batch worker saved; null when none.
alter table tasker_steps add column checkpoint jsonb;

-- A claimed step's row also carries the step's inputs and its checkpoint, for its handler. Every
-- function that returns these rows is replaced below, with the two columns added.
alter type tasker_step_row add attribute inputs text, add attribute checkpoint text;

create or replace function tasker_claimed_steps(p_ids uuid[])
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
             where a.task_id = c.task_id and a.position = any(c.ancestors) and a.results is not null)::text,
           c.inputs::text, c.checkpoint::text
      from tasker_steps c
      join tasker_tasks t on t.id = c.task_id
     where c.id = any(p_ids)
     order by c.priority desc, c.enqueued_at, c.id;
end;
$$;

-- A step's checkpoint after it saved p_given ({"cursor", "items_processed", "accumulated_results"}):
-- those, the time, and the history of the last 20 positions (tasker-core's grows without bound).
create function tasker_next_checkpoint(p_old jsonb, p_given jsonb)
returns jsonb
language sql
stable
as $$
    select jsonb_build_object('cursor', p_given -> 'cursor',
                              'items_processed', coalesce(p_given -> 'items_processed', '0'::jsonb),
                              'timestamp', to_jsonb(now()))
           || case when p_given ? 'accumulated_results'
                   then jsonb_build_object('accumulated_results', p_given -> 'accumulated_results')
                   else '{}'::jsonb end
           || jsonb_build_object('history',
                  coalesce((select jsonb_agg(h.e order by h.n)
                              from jsonb_array_elements(coalesce(p_old -> 'history', '[]'::jsonb))
                                   with ordinality as h (e, n)
                             where h.n > jsonb_array_length(coalesce(p_old -> 'history', '[]'::jsonb)) - 19),
                           '[]'::jsonb)
                  || jsonb_build_array(jsonb_build_object(
                         'cursor', p_given -> 'cursor',
                         'items_processed', coalesce(p_given -> 'items_processed', '0'::jsonb),
                         'timestamp', to_jsonb(now()))))
$$;

-- ---------------------------------------------------------------------------------------------
-- The step cycle of V6, plus checkpoints: an outcome {"step_id", "attempt", "state": "checkpoint",
-- "checkpoint": {...}} saves the step's checkpoint and re-dispatches the step (see above).

create or replace function tasker_step_cycle(p_worker text, p_outcomes jsonb, p_namespaces text[],
                                             p_callables text[], p_claim int, p_lease_seconds double precision)
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
    v_locking_tasks  uuid[] := '{}';
    v_decided_tasks  uuid[] := '{}';
    v_decided_pos    int[] := '{}';
    v_saved          uuid[];
    v_saved_tasks    uuid[];
    v_saved_ns       text[];
    v_yielded        uuid[] := '{}';
begin
    if p_outcomes is not null then
        -- Compare-and-swap on the claim: in progress, held by this worker, at this attempt. The
        -- attempt's worker and times stay on the row; an attempt that is retried goes to the
        -- history first, since the next one will overwrite them.
        -- Fields read with ->, so a result that is JSON null stays JSON null (not SQL NULL).
        -- A decision that is not valid (no verdict with branches) ends in error instead. Materialized,
        -- so a decision's verdict is read once, not once for each column that uses it.
        with o as materialized (
            select (e.doc ->> 'step_id')::uuid as step_id, (e.doc ->> 'attempt')::int as attempt,
                   e.doc ->> 'state' as state, e.doc -> 'results' as results, e.doc -> 'metadata' as metadata,
                   e.doc -> 'error' as error, (e.doc ->> 'retry_in_ms')::double precision as retry_in_ms,
                   case when e.doc ->> 'state' = 'complete' and jsonb_typeof(e.doc -> 'results') = 'object'
                             and (e.doc -> 'results') ? 'decision_point_outcome'
                        then tasker_read_decision((e.doc ->> 'step_id')::uuid, e.doc -> 'results') end as verdict
              from jsonb_array_elements(p_outcomes) as e (doc)
             where e.doc ->> 'state' <> 'checkpoint'
        ), changed as (
            update tasker_steps s
               set state = case when s.step_type = 'decision' and o.state = 'complete'
                                     and not coalesce(o.verdict ? 'branches', false) then 'error' else o.state end,
                   results = case when o.state = 'complete' and (s.step_type is distinct from 'decision'
                                       or coalesce(o.verdict ? 'branches', false)) then o.results else s.results end,
                   result_metadata = case when o.state = 'complete' and (s.step_type is distinct from 'decision'
                                               or coalesce(o.verdict ? 'branches', false))
                                          then o.metadata else s.result_metadata end,
                   last_error = case when s.step_type = 'decision' and o.state = 'complete'
                                          and not coalesce(o.verdict ? 'branches', false)
                                     then tasker_decision_error(s.name, o.verdict, o.results, s.attempts, s.max_attempts)
                                     else o.error end,
                   branches = case when s.step_type = 'decision' and o.state = 'complete'
                                        and coalesce(o.verdict ? 'branches', false)
                                   then translate(o.verdict ->> 'branches', '[]', '{}')::int[] else s.branches end,
                   lease_until = null,
                   next_attempt_at = case when o.state = 'waiting_for_retry'
                                          then now() + make_interval(secs => o.retry_in_ms / 1000) end,
                   completed_at = case when o.state = 'complete' and (s.step_type is distinct from 'decision'
                                            or coalesce(o.verdict ? 'branches', false)) then now() end,
                   updated_at = now()
              from o
             where s.id = o.step_id and s.state = 'in_progress' and s.claimed_by = p_worker and s.attempts = o.attempt
            returning s.id, s.task_id, s.namespace, s.state, s.children, s.attempts, s.enqueued_at, s.claimed_at,
                      s.last_error as error, s.position, s.step_type, s.later_children
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
                          where d.state = 'complete'), '{}'),
               coalesce(array_agg(c.task_id) filter (where c.state = 'complete' and c.later_children), '{}'),
               coalesce(array_agg(c.task_id) filter (where c.state = 'complete' and c.step_type = 'decision'), '{}'),
               coalesce(array_agg(c.position) filter (where c.state = 'complete' and c.step_type = 'decision'), '{}')
          into v_recorded_ids, v_recorded_tasks, v_recorded_state, v_left_tasks, v_kept_tasks, v_retried_now,
               v_enqueued_ns, v_child_tasks, v_child_pos, v_locking_tasks, v_decided_tasks, v_decided_pos
          from changed c;
        v_enqueued := v_retried_now;

        -- Checkpoints (a batch worker's "save my progress and run me again"): stored, under the
        -- same compare-and-swap as an outcome, and the step stays in progress at the same attempt.
        -- It comes back to this worker as claimed while slots last (ahead of any other step); a
        -- worker with none (shutting down) puts it back in the queue to resume elsewhere.
        if p_outcomes @> '[{"state": "checkpoint"}]' then
            with k as (
                select (e.doc ->> 'step_id')::uuid as step_id, (e.doc ->> 'attempt')::int as attempt,
                       e.doc -> 'checkpoint' as checkpoint
                  from jsonb_array_elements(p_outcomes) as e (doc)
                 where e.doc ->> 'state' = 'checkpoint'
            ), saved as (
                update tasker_steps s
                   set checkpoint = tasker_next_checkpoint(s.checkpoint, k.checkpoint),
                       lease_until = now() + make_interval(secs => p_lease_seconds),
                       updated_at = now()
                  from k
                 where s.id = k.step_id and s.state = 'in_progress' and s.claimed_by = p_worker
                   and s.attempts = k.attempt
                returning s.id, s.task_id, s.namespace
            )
            select coalesce(array_agg(v.id order by v.id), '{}'), coalesce(array_agg(v.task_id order by v.id), '{}'),
                   coalesce(array_agg(v.namespace order by v.id), '{}')
              into v_saved, v_saved_tasks, v_saved_ns
              from saved v;
            v_yielded := v_saved[1:v_budget];
            if cardinality(v_saved) > v_budget then
                update tasker_steps s
                   set state = 'enqueued', attempts = s.attempts - 1, claimed_by = null, claimed_at = null,
                       lease_until = null, enqueued_at = now()
                 where s.id = any(v_saved[v_budget + 1:]);
                v_enqueued := v_enqueued || v_saved[v_budget + 1:];
                v_enqueued_ns := v_enqueued_ns || v_saved_ns[v_budget + 1:];
            end if;
            v_budget := v_budget - cardinality(v_yielded);
            v_recorded_ids := v_recorded_ids || v_saved;
            v_recorded_tasks := v_recorded_tasks || v_saved_tasks;
            v_recorded_state := v_recorded_state
                || array(select case when n <= cardinality(v_yielded) then 'in_progress' else 'enqueued' end
                           from generate_series(1, cardinality(v_saved)) as n);
        end if;

        -- A retry at once starts its wait in the queue now (rare: set apart, so the history above
        -- keeps the attempt's own enqueue time).
        if cardinality(v_retried_now) > 0 then
            update tasker_steps s set enqueued_at = now(), claimed_by = null, claimed_at = null
             where s.id = any(v_retried_now);
        end if;

        -- A completed step some of whose children a decision creates: under the task row's lock,
        -- which a decision growing the task holds too, the children pass below (a new statement)
        -- sees every child a decision committed, and a decision sees this step complete.
        if cardinality(v_locking_tasks) > 0 then
            perform 1 from tasker_tasks t where t.id = any(v_locking_tasks) order by t.id for no key update;
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

        -- Decisions made: their tasks grow. Steps created ready keep their task going; those this
        -- worker has slots for and runs are claimed for it right here, the others enqueued.
        if cardinality(v_decided_tasks) > 0 then
            select v_claimed || coalesce(array_agg(g.step_id) filter (where g.state = 'in_progress'), '{}'),
                   v_enqueued || coalesce(array_agg(g.step_id) filter (where g.state = 'enqueued'), '{}'),
                   v_enqueued_ns || coalesce(array_agg(g.namespace) filter (where g.state = 'enqueued'), '{}'),
                   v_kept_tasks || coalesce(array_agg(g.task_id) filter (where g.state <> 'pending'), '{}')
              into v_claimed, v_enqueued, v_enqueued_ns, v_kept_tasks
              from tasker_grow_tasks(v_decided_tasks, v_decided_pos, p_worker, v_budget - cardinality(v_claimed),
                                     p_namespaces, p_callables, p_lease_seconds) as g;
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
                       completed_at = now()
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
               null::text, null::text, null::text, null::text, null::text
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

    v_claimed := v_yielded || v_claimed;
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
-- Task creation as in V6, returning the two new columns.

create or replace function tasker_create_task(p_task_id uuid, p_template_id uuid, p_newest_only boolean, p_context jsonb,
                                   p_identity text, p_correlation_id uuid, p_priority int, p_initiator text,
                                   p_source_system text, p_reason text, p_tags jsonb, p_layout jsonb,
                                   p_step_ids uuid[], p_worker text, p_callables text[], p_claim int,
                                   p_lease_seconds double precision, p_document boolean, p_plan boolean)
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
                            null::timestamptz, p_template_id, null::text, null::text, null::text, null::text,
                            null::text, null::text;
        return;
    end if;

    insert into tasker_tasks (id, template_id, namespace, name, version, state, context, identity_hash,
                              correlation_id, priority, initiator, source_system, reason, tags, plan)
    values (p_task_id, p_template_id, v_template.namespace, v_template.name, v_template.version, 'in_progress',
            p_context, p_identity, p_correlation_id, p_priority, p_initiator, p_source_system, p_reason, p_tags,
            case when p_plan then
                (select jsonb_agg(p.e || jsonb_build_object('id', p_step_ids[(p.e ->> 'position')::int]) order by p.n)
                   from jsonb_array_elements(p_layout) with ordinality as p (e, n)) end)
    on conflict (identity_hash) do nothing
    returning id into v_inserted;

    if v_inserted is null then
        -- A new statement: under READ COMMITTED it sees the task whose insert made ours a no-op.
        return query select 'duplicate'::text, null::uuid, t.id, t.state, t.state, null::text, null::text,
                            null::text, null::int, null::int, null::boolean, null::bigint, null::bigint,
                            null::timestamptz, t.template_id, null::text, null::text, null::text, null::text,
                            null::text, null::text
                       from tasker_tasks t where t.identity_hash = p_identity;
        return;
    end if;

    with steps as (
        insert into tasker_steps as n (id, task_id, position, name, namespace, handler_callable, state, attempts,
                                       max_attempts, retryable, backoff_base_ms, max_backoff_ms, timeout_seconds,
                                       priority, inputs, parents, children, ancestors, parents_pending, enqueued_at,
                                       claimed_by, claimed_at, lease_until, step_type, later_children)
        select p_step_ids[l.position], p_task_id, l.position, l.name, v_template.namespace, l.callable, l.state,
               case when l.state = 'in_progress' then 1 else 0 end,
               l.max_attempts, l.retryable, l.backoff_base_ms, l.max_backoff_ms, l.timeout_seconds, p_priority,
               coalesce(l.inputs, '{}'::jsonb), l.parents, l.children, l.ancestors, cardinality(l.parents),
               case when l.state <> 'pending' then now() end,
               case when l.state = 'in_progress' then p_worker end,
               case when l.state = 'in_progress' then now() end,
               case when l.state = 'in_progress' then now() + make_interval(secs => p_lease_seconds) end,
               l.type, l.later_children
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
                                     inputs jsonb, parents int[], children int[], ancestors int[], type text,
                                     later boolean, later_children boolean)
                         where j.later is not true) r) l
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
           case when p_document then tasker_task_document(p_task_id)::text end, null::text, null::text,
           null::text;
end;
$$;
