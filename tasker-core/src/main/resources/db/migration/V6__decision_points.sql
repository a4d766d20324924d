-- Decision points and deferred convergence (docs/dynamic-workflows.md): a decision step's handler
-- chooses which of its branches are created; a deferred convergence step waits for those of its
-- dependencies that were created. Steps behind an undecided decision do not exist yet: the task
-- keeps the layout of all its steps (its plan) and grows from it, in the transaction that records
-- the decision. A task of a template without decisions has no plan, and its steps pay nothing.
--
-- Independent of the migrations numbered around it but V2 and V4 (applied out of order, see
-- Database.migrate): it replaces their step cycle and task creation with versions that do the
-- same, plus what is described here.

-- null for a standard step: rows of templates without decisions are unchanged.
alter table tasker_steps add column step_type text;
-- A decision's choice, as positions in the template; null until it decides ('{}': no branches).
alter table tasker_steps add column branches int[];
-- The position of the decision whose outcome created the step; null for a step created with its task.
alter table tasker_steps add column created_by int;
-- Some of the step's children are created only by a decision: its completion takes the task row's
-- lock before it counts them down, so that it and a decision creating such a child see each other.
alter table tasker_steps add column later_children boolean;

-- The task's template laid out as tasker_create_task takes it, each step with its id; only for a
-- template with decisions, whose steps behind an undecided decision are created from it later.
alter table tasker_tasks add column plan jsonb;

-- ---------------------------------------------------------------------------------------------
-- What a decision step decided, read from the result its handler returned:
--   {"decision_point_outcome": {"type": "create_steps", "step_names": ["a", "b"]}}
--   {"decision_point_outcome": {"type": "no_branches"}}
-- Answers {"branches": [positions]} for a valid choice, {"problem": "..."} for one that is not,
-- and null when the step is not a decision. A decision may choose its branches (the steps that
-- list it in depends_on, deferred convergence steps aside); naming also a step that follows a
-- chosen branch, or a deferred convergence step after the decision, is allowed (tasker-core's
-- decisions name those too) and changes nothing: those are created by the rules anyway.

create function tasker_read_decision(p_step_id uuid, p_results jsonb)
returns jsonb
language plpgsql
stable
as $$
declare
    v_step     record;
    v_outcome  jsonb;
    v_names    jsonb;
    v_branches int[];
    v_choices  text;
    v_name     text;
    v_entry    jsonb;
    v_chosen   int[] := '{}';
begin
    select s.name, s.position, s.step_type, t.plan into v_step
      from tasker_steps s
      join tasker_tasks t on t.id = s.task_id
     where s.id = p_step_id;
    if not found or v_step.step_type is distinct from 'decision' or v_step.plan is null then
        return null;
    end if;
    select coalesce(array_agg((e ->> 'position')::int order by (e ->> 'position')::int), '{}'),
           string_agg(e ->> 'name', ', ' order by (e ->> 'position')::int)
      into v_branches, v_choices
      from jsonb_array_elements(v_step.plan) as e
     where (e -> 'parents') @> to_jsonb(v_step.position)
       and e ->> 'type' is distinct from 'deferred_convergence';

    v_outcome := case when jsonb_typeof(p_results) = 'object' then p_results -> 'decision_point_outcome' end;
    if jsonb_typeof(v_outcome) is distinct from 'object' then
        return jsonb_build_object('problem', format('decision step %L returned no decision: its result needs '
            'decision_point_outcome, {"type": "create_steps", "step_names": [...]} or {"type": "no_branches"} '
            '(a Java handler returns StepHandlerResult.decision(...) or noBranches(...), a Ruby one '
            'decision_success(steps: ...) or decision_no_branches)', v_step.name));
    end if;
    if v_outcome ->> 'type' = 'no_branches' then
        return jsonb_build_object('branches', '[]'::jsonb);
    end if;
    if v_outcome ->> 'type' is distinct from 'create_steps' then
        return jsonb_build_object('problem', format('decision step %L returned a decision_point_outcome of type %s; '
            'expected create_steps or no_branches', v_step.name, coalesce(quote_literal(v_outcome ->> 'type'), 'none')));
    end if;
    v_names := v_outcome -> 'step_names';
    if jsonb_typeof(v_names) is distinct from 'array'
            or exists (select 1 from jsonb_array_elements(v_names) as n where jsonb_typeof(n) <> 'string') then
        return jsonb_build_object('problem', format('decision step %L returned create_steps without step_names, '
            'the list of the steps to create', v_step.name));
    end if;

    for v_name in select n from jsonb_array_elements_text(v_names) as n loop
        select e into v_entry from jsonb_array_elements(v_step.plan) as e where e ->> 'name' = v_name;
        if not found then
            return jsonb_build_object('problem', format('decision step %L chose %L, which its template does not '
                'declare; it may choose %s', v_step.name, v_name, v_choices));
        end if;
        v_chosen := v_chosen || (v_entry ->> 'position')::int;
    end loop;
    for v_entry in select e from jsonb_array_elements(v_step.plan) as e
                    where (e ->> 'position')::int = any(v_chosen) order by (e ->> 'position')::int loop
        if not ((v_entry ->> 'position')::int = any(v_branches)
                or ((v_entry -> 'ancestors') @> to_jsonb(v_step.position)
                    and (coalesce(v_entry ->> 'type', 'standard') = 'deferred_convergence'
                         or exists (select 1 from jsonb_array_elements(v_entry -> 'ancestors') as a
                                     where a::int = any(v_branches) and a::int = any(v_chosen))))) then
            return jsonb_build_object('problem', format('decision step %L chose %L, which is not one of its '
                'branches; it may choose %s', v_step.name, v_entry ->> 'name', v_choices));
        end if;
    end loop;
    return jsonb_build_object('branches', to_jsonb(array(select distinct c from unnest(v_chosen) as c order by c)));
end;
$$;

-- The error a decision step is failed with when its choice is not valid: not retried, as running
-- the same handler on the same input would choose the same.
create function tasker_decision_error(p_name text, p_verdict jsonb, p_results jsonb, p_attempt int, p_max_attempts int)
returns jsonb
language sql
immutable
as $$
    select jsonb_build_object(
               'message', coalesce(p_verdict ->> 'problem', format('decision step %L returned no decision: its '
                   'result needs decision_point_outcome, {"type": "create_steps", "step_names": [...]} or '
                   '{"type": "no_branches"} (a Java handler returns StepHandlerResult.decision(...) or '
                   'noBranches(...), a Ruby one decision_success(steps: ...) or decision_no_branches)', p_name)),
               'error_type', 'InvalidDecision', 'retryable', false, 'attempt', p_attempt,
               'max_attempts', p_max_attempts, 'details', jsonb_build_object('result', p_results))
$$;

-- ---------------------------------------------------------------------------------------------
-- Grows tasks from their plans after decisions (p_tasks and p_positions: the decided steps, task
-- and position each): every step of a plan not yet created is created as soon as
--   * a standard or decision step: all its dependencies exist, and each decision among them
--     chose it (a step whose decision did not choose it, or that depends on such a step, is never
--     created);
--   * a deferred convergence step: each of its dependencies exists or never will; it waits for
--     those that exist, and is ready at once when they are complete or none does.
-- The plan lists steps in dependency order, so one pass creates whole chains. A step is created
-- pending when something it waits for is unfinished; else ready, and then, like a child made
-- ready by the step cycle, claimed at once for p_worker while p_claim slots last and it runs the
-- step (namespace in p_namespaces, callable in p_callables or those null), else enqueued.
-- created_by names the decision whose outcome created it. The caller holds the task rows' locks
-- (see later_children).

create function tasker_grow_tasks(p_tasks uuid[], p_positions int[], p_worker text, p_claim int,
                                  p_namespaces text[], p_callables text[], p_lease_seconds double precision)
returns table (step_id uuid, task_id uuid, state text, namespace text)
language plpgsql
as $$
#variable_conflict use_column
declare
    v_task      record;
    v_entry     jsonb;
    v_position  int;
    v_parents   int[];
    v_exists    int[];
    v_done      int[];
    v_never     int[];
    v_decisions int[];
    v_decided   jsonb;
    v_deciding  int[];
    v_new_id    uuid;
    v_new_state text;
    v_claim     int := greatest(coalesce(p_claim, 0), 0);
    v_runs      boolean;
begin
    for v_task in
        select t.id, t.namespace, t.priority, t.plan
          from tasker_tasks t
         where t.id = any(p_tasks) and t.plan is not null
         order by t.id
    loop
        v_deciding := array(select d.position from unnest(p_tasks, p_positions) as d (task_id, position)
                             where d.task_id = v_task.id);
        select coalesce(array_agg(s.position), '{}'),
               coalesce(array_agg(s.position) filter (where s.state in ('complete', 'resolved_manually')), '{}'),
               coalesce(jsonb_object_agg(s.position::text, coalesce(to_jsonb(s.branches), '[]'::jsonb))
                            filter (where s.step_type = 'decision' and s.state in ('complete', 'resolved_manually')),
                        '{}'::jsonb)
          into v_exists, v_done, v_decided
          from tasker_steps s
         where s.task_id = v_task.id;
        v_decisions := array(select (e ->> 'position')::int from jsonb_array_elements(v_task.plan) as e
                              where e ->> 'type' = 'decision');
        v_never := '{}';
        v_runs := p_worker is not null and v_task.namespace = any(p_namespaces);

        for v_entry in select p.e from jsonb_array_elements(v_task.plan) with ordinality as p (e, n)
                        where (p.e ->> 'later')::boolean order by p.n loop
            v_position := (v_entry ->> 'position')::int;
            continue when v_position = any(v_exists);
            v_parents := translate(v_entry ->> 'parents', '[]', '{}')::int[];
            if coalesce(v_entry ->> 'type', 'standard') = 'deferred_convergence' then
                continue when not (v_parents <@ (v_exists || v_never));
                v_parents := array(select p from unnest(v_parents) as p where p = any(v_exists) order by p);
            else
                if v_parents && v_never or exists (select 1 from unnest(v_parents) as p
                                                    where p = any(v_decisions) and v_decided ? p::text
                                                      and not (v_decided -> p::text) @> to_jsonb(v_position)) then
                    v_never := v_never || v_position;
                    continue;
                end if;
                continue when not (v_parents <@ v_exists)
                    or exists (select 1 from unnest(v_parents) as p where p = any(v_decisions) and not v_decided ? p::text);
            end if;

            insert into tasker_steps as n (id, task_id, position, name, namespace, handler_callable, state, attempts,
                                           max_attempts, retryable, backoff_base_ms, max_backoff_ms, timeout_seconds,
                                           priority, inputs, parents, children, ancestors, parents_pending,
                                           enqueued_at, claimed_by, claimed_at, lease_until, step_type, created_by,
                                           later_children)
            select (v_entry ->> 'id')::uuid, v_task.id, v_position, v_entry ->> 'name', v_task.namespace,
                   v_entry ->> 'callable', w.state, case when w.state = 'in_progress' then 1 else 0 end,
                   (v_entry ->> 'max_attempts')::int, (v_entry ->> 'retryable')::boolean,
                   (v_entry ->> 'backoff_base_ms')::bigint, (v_entry ->> 'max_backoff_ms')::bigint,
                   (v_entry ->> 'timeout_seconds')::int, v_task.priority, coalesce(v_entry -> 'inputs', '{}'::jsonb),
                   v_parents, translate(v_entry ->> 'children', '[]', '{}')::int[],
                   translate(v_entry ->> 'ancestors', '[]', '{}')::int[], w.pending,
                   case when w.state <> 'pending' then now() end,
                   case when w.state = 'in_progress' then p_worker end,
                   case when w.state = 'in_progress' then now() end,
                   case when w.state = 'in_progress' then now() + make_interval(secs => p_lease_seconds) end,
                   v_entry ->> 'type',
                   coalesce((select max(d) from unnest(v_deciding) as d where v_entry -> 'ancestors' @> to_jsonb(d)),
                            (select min(d) from unnest(v_deciding) as d)),
                   (v_entry ->> 'later_children')::boolean
              from (select c.pending,
                           case when c.pending > 0 then 'pending'
                                when v_claim > 0 and v_runs
                                     and (p_callables is null or v_entry ->> 'callable' = any(p_callables))
                                then 'in_progress'
                                else 'enqueued' end as state
                      from (select count(*)::int as pending from unnest(v_parents) as p
                             where p <> all(v_done)) c) w
            on conflict (task_id, position) do nothing
            returning n.id, n.state into v_new_id, v_new_state;
            v_exists := v_exists || v_position;
            if found then
                if v_new_state = 'in_progress' then
                    v_claim := v_claim - 1;
                end if;
                step_id := v_new_id;
                task_id := v_task.id;
                state := v_new_state;
                namespace := v_task.namespace;
                return next;
            end if;
        end loop;
    end loop;
end;
$$;

-- ---------------------------------------------------------------------------------------------
-- The step cycle of V2 (with V4's finish time), plus decisions: an outcome whose result holds a
-- decision_point_outcome is read against the step's plan (only such outcomes cost a look-up); a
-- decision step whose choice is not valid, or that returned none, is failed in the same update
-- that records it; a step with children created later locks its task row before counting them
-- down; the tasks of the decisions recorded grow, and the steps that became ready are enqueued
-- (and claimed by the same call when the worker has slots, as the queue is read after).

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
-- Task creation as in V2, but for a template with decisions: layout entries may carry "type",
-- "later" (created only when decisions choose so) and "later_children"; only the others are
-- created now, and when p_plan the layout is kept on the task, each entry with its step's id, to
-- grow the task from.

drop function tasker_create_task(uuid, uuid, boolean, jsonb, text, uuid, int, text, text, text, jsonb, jsonb, uuid[],
                                 text, text[], int, double precision, boolean);

create function tasker_create_task(p_task_id uuid, p_template_id uuid, p_newest_only boolean, p_context jsonb,
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
                            null::timestamptz, p_template_id, null::text, null::text, null::text, null::text;
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
                            null::timestamptz, t.template_id, null::text, null::text, null::text, null::text
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
           case when p_document then tasker_task_document(p_task_id)::text end, null::text;
end;
$$;

-- ---------------------------------------------------------------------------------------------
-- A task as clients see it, as in V2, each step also with its type and, for a step a decision
-- created, that decision's name (created_by).

create or replace function tasker_task_document(p_task_id uuid)
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
                                  'type', coalesce(s.step_type, 'standard'), 'state', s.state,
                                  'depends_on', (select coalesce(jsonb_agg(p.name order by p.position), '[]'::jsonb)
                                                   from tasker_steps p
                                                  where p.task_id = s.task_id and p.position = any(s.parents)),
                                  'created_by', case when s.created_by is not null then
                                                    (select d.name from tasker_steps d
                                                      where d.task_id = s.task_id and d.position = s.created_by) end,
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
