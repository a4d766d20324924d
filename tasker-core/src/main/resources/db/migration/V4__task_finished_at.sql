-- A task that ends in error gets a finish time, as one that ends complete, cancelled or resolved
-- by hand always had: completed_at is when the task stopped running, in any of those states, and
-- null while it runs. A task in error that runs again (a step retried) has it cleared, by the
-- operator action that moves it (StateTransitions).
--
-- The step cycle is the same as in V2 but for the one line that finalizes a task
-- ("completed_at = now()", for complete and error alike).

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

-- Tasks already in error: the time they entered it, which is when their row last changed (a task's
-- row changes only when its state does).
update tasker_tasks set completed_at = updated_at where state = 'error' and completed_at is null;
