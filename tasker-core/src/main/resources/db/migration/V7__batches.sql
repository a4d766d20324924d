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

-- An ancestor's result is read by one index look-up per position: a lateral subquery from unnest,
-- kept apart by "offset 0". With "= any", or a subquery the planner may pull up, a plan made while
-- the table looked empty scans all the task's steps for each claimed step; this way claiming a
-- step that waits for 10,000 batch workers, or 500 of those workers, costs linear time whatever
-- the planner knows of the table.
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
              from unnest(c.ancestors) as p (position)
             cross join lateral (select a.name, a.results from tasker_steps a
                                  where a.task_id = c.task_id and a.position = p.position offset 0) a
             where a.results is not null)::text,
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
-- Batches: a batchable step's handler returns how to split its work, and one instance of its batch
-- worker step is created per batch in the transaction that records it; the deferred convergence
-- step after the worker waits for all of them (docs/dynamic-workflows.md).

-- For a batch worker instance, the template position of its batch worker step; null for any other
-- step. An instance's position is 1,000,000 times that plus its number (1..N), so a task's steps
-- still read in template order and positions stay unique.
alter table tasker_steps add column batch_of int;

-- A version 7 UUID, as Ids.newId makes in Java, for the instances created here.
create function tasker_new_id()
returns uuid
language sql
volatile
as $$
    select encode(set_bit(set_bit(overlay(uuid_send(gen_random_uuid())
                                          placing substring(int8send((extract(epoch from clock_timestamp()) * 1000)::bigint)
                                                            from 3)
                                          from 1 for 6), 52, 1), 53, 1), 'hex')::uuid
$$;

-- What a batchable step must return; said when it returned something else.
create function tasker_batch_expected(p_name text)
returns text
language sql
immutable
as $$
    select format('batchable step %L returned no batch outcome: its result needs batch_processing_outcome, '
                  '{"type": "create_batches", "worker_template_name": "...", "cursor_configs": [{"batch_id": '
                  '"001", "start_cursor": 0, "end_cursor": 100, "batch_size": 100}, ...]} or {"type": '
                  '"no_batches"} (a Java handler returns StepHandlerResult.batches(...) or noBatches(...), a Ruby '
                  'one create_batches_success(...) or no_batches_success(...))', p_name)
$$;

-- What a batchable step asked for, read from the result its handler returned (tasker-core's
-- outcome):
--   {"batch_processing_outcome": {"type": "create_batches", "worker_template_name": "w",
--                                 "worker_count": 3, "cursor_configs": [{...}, {...}, {...}]}}
--   {"batch_processing_outcome": {"type": "no_batches"}}
-- Answers {"batch": {"worker": position, "cursors": [...], "no_op": false}} for a valid outcome
-- (no_batches: one placeholder cursor for its first batch worker, no_op true), {"problem": "..."}
-- for one that is not, and null when the step is not batchable.

create function tasker_read_batch(p_step_id uuid, p_results jsonb)
returns jsonb
language plpgsql
stable
as $$
declare
    v_step    record;
    v_outcome jsonb;
    v_workers jsonb;
    v_names   text;
    v_worker  int;
    v_cursors jsonb;
    v_count   int;
    v_bad     bigint;
begin
    select s.name, s.position, s.step_type, t.plan into v_step
      from tasker_steps s
      join tasker_tasks t on t.id = s.task_id
     where s.id = p_step_id;
    if not found or v_step.step_type is distinct from 'batchable' or v_step.plan is null then
        return null;
    end if;
    select coalesce(jsonb_object_agg(e ->> 'name', (e ->> 'position')::int), '{}'),
           string_agg(e ->> 'name', ', ' order by (e ->> 'position')::int)
      into v_workers, v_names
      from jsonb_array_elements(v_step.plan) as e
     where e ->> 'type' = 'batch_worker' and (e -> 'parents') @> to_jsonb(v_step.position);

    v_outcome := case when jsonb_typeof(p_results) = 'object' then p_results -> 'batch_processing_outcome' end;
    if jsonb_typeof(v_outcome) is distinct from 'object' then
        return jsonb_build_object('problem', tasker_batch_expected(v_step.name));
    end if;
    if v_outcome ->> 'type' = 'no_batches' then
        return jsonb_build_object('batch', jsonb_build_object(
            'worker', (select min(w.value::int) from jsonb_each_text(v_workers) as w),
            'cursors', '[{"batch_id": "001", "start_cursor": 0, "end_cursor": 0, "batch_size": 0}]'::jsonb,
            'no_op', true));
    end if;
    if v_outcome ->> 'type' is distinct from 'create_batches' then
        return jsonb_build_object('problem', format('batchable step %L returned a batch_processing_outcome of type '
            '%s; expected create_batches or no_batches', v_step.name,
            coalesce(quote_literal(v_outcome ->> 'type'), 'none')));
    end if;
    v_worker := (v_workers ->> (v_outcome ->> 'worker_template_name'))::int;
    if v_worker is null then
        return jsonb_build_object('problem', format('batchable step %L named worker template %s, which is not one of '
            'its batch_worker steps; worker_template_name may be %s', v_step.name,
            coalesce(quote_literal(v_outcome ->> 'worker_template_name'), 'none'), v_names));
    end if;
    v_cursors := v_outcome -> 'cursor_configs';
    v_count := case when jsonb_typeof(v_cursors) = 'array' then jsonb_array_length(v_cursors) end;
    if v_count is null or v_count < 1 or v_count > 100000 then
        return jsonb_build_object('problem', format('batchable step %L returned create_batches with %s; it needs '
            'cursor_configs, a list of 1 to 100000 cursors, one per batch worker (or no_batches for none)',
            v_step.name, case when v_count is null then 'no cursor_configs list'
                              else v_count || ' cursor_configs' end));
    end if;
    if v_outcome ? 'worker_count' and (v_outcome -> 'worker_count') <> to_jsonb(v_count) then
        return jsonb_build_object('problem', format('batchable step %L returned worker_count %s but %s '
            'cursor_configs; worker_count, when given, must be the number of cursor_configs', v_step.name,
            v_outcome -> 'worker_count', v_count));
    end if;
    select min(c.n) into v_bad
      from jsonb_array_elements(v_cursors) with ordinality as c (cursor, n)
     where jsonb_typeof(c.cursor) is distinct from 'object'
        or jsonb_typeof(c.cursor -> 'batch_id') not in ('string', 'number');
    if v_bad is not null then
        return jsonb_build_object('problem', format('batchable step %L returned cursor_configs entry %s that is not '
            'a cursor with a batch_id: each entry must be an object like {"batch_id": "001", "start_cursor": 0, '
            '"end_cursor": 100, "batch_size": 100}', v_step.name, v_bad));
    end if;
    select min(d.batch_id) into v_names
      from (select c ->> 'batch_id' as batch_id from jsonb_array_elements(v_cursors) as c
             group by c ->> 'batch_id' having count(*) > 1) d;
    if v_names is not null then
        return jsonb_build_object('problem', format('batchable step %L returned batch_id %L more than once; each '
            'cursor config needs its own batch_id, which names its worker', v_step.name, v_names));
    end if;
    -- An instance is named <worker>_<batch_id>; one named like a step of the template would hide
    -- that step's result from the steps after both, which read results by name.
    select min(e ->> 'name') into v_names
      from jsonb_array_elements(v_step.plan) as e
     where e ->> 'name' in (select (v_outcome ->> 'worker_template_name') || '_' || (c ->> 'batch_id')
                              from jsonb_array_elements(v_cursors) as c);
    if v_names is not null then
        return jsonb_build_object('problem', format('batchable step %L returned a batch_id that names its worker '
            '%L, which is the name of a step of its template; choose batch_ids that do not', v_step.name, v_names));
    end if;
    return jsonb_build_object('batch', jsonb_build_object('worker', v_worker, 'cursors', v_cursors, 'no_op', false));
end;
$$;

-- The error a batchable step is failed with when its outcome is not valid: not retried, as the
-- same handler on the same input would return the same.
create function tasker_batch_error(p_name text, p_verdict jsonb, p_results jsonb, p_attempt int, p_max_attempts int)
returns jsonb
language sql
immutable
as $$
    select jsonb_build_object(
               'message', coalesce(p_verdict ->> 'problem', tasker_batch_expected(p_name)),
               'error_type', 'InvalidBatchOutcome', 'retryable', false, 'attempt', p_attempt,
               'max_attempts', p_max_attempts, 'details', jsonb_build_object('result', p_results))
$$;

-- p_positions with each batch worker template position that has instances (a key of
-- p_instances, {"<position>": [instance positions]}) replaced by its instances' positions.
create function tasker_expand_positions(p_positions int[], p_instances jsonb)
returns int[]
language sql
immutable
as $$
    select coalesce(array_agg(e.position order by e.position), '{}')
      from unnest(p_positions) as p (position)
     cross join lateral (select i::int from jsonb_array_elements_text(p_instances -> p.position::text) as i
                         union all
                         select p.position where not p_instances ? p.position::text) as e (position)
$$;

-- ---------------------------------------------------------------------------------------------
-- Tasks grow as in V6 (see there), and batch workers are created: p_batches lists the batches the
-- batchable steps recorded here asked for, [{"task", "created_by", "worker", "cursors", "no_op"}].
-- A batch worker step is never created as itself. Its instances are created, all in one insert,
-- when its batchable step's batch names it; when the batchable step completed without naming it
-- (another worker, or completed by hand) it is never created. Once its instances exist the batch
-- worker step counts as existing, and a step after it waits for, and reads the results of, every
-- instance: its parents and ancestors list the instances' positions.

drop function tasker_grow_tasks(uuid[], int[], text, int, text[], text[], double precision);

create function tasker_grow_tasks(p_tasks uuid[], p_positions int[], p_worker text, p_claim int,
                                  p_namespaces text[], p_callables text[], p_lease_seconds double precision,
                                  p_batches jsonb default null)
returns table (step_id uuid, task_id uuid, state text, namespace text)
language plpgsql
as $$
#variable_conflict use_column
declare
    v_task       record;
    v_entry      jsonb;
    v_position   int;
    v_parents    int[];
    v_exists     int[];
    v_done       int[];
    v_never      int[];
    v_decisions  int[];
    v_batchables int[];
    v_decided    jsonb;
    v_deciding   int[];
    v_instances  jsonb;
    v_batch      jsonb;
    v_pending    int;
    v_ids        uuid[];
    v_states     text[];
    v_positions  int[];
    v_claim      int := greatest(coalesce(p_claim, 0), 0);
    v_runs       boolean;
begin
    for v_task in
        select t.id, t.namespace, t.priority, t.plan
          from tasker_tasks t
         where t.id = any(p_tasks) and t.plan is not null
         order by t.id
    loop
        v_deciding := array(select d.position from unnest(p_tasks, p_positions) as d (task_id, position)
                             where d.task_id = v_task.id);
        select coalesce(array_agg(distinct coalesce(s.batch_of, s.position)), '{}'),
               coalesce(array_agg(s.position) filter (where s.batch_of is null
                                                        and s.state in ('complete', 'resolved_manually')), '{}'),
               coalesce(jsonb_object_agg(s.position::text, coalesce(to_jsonb(s.branches), '[]'::jsonb))
                            filter (where s.step_type = 'decision' and s.state in ('complete', 'resolved_manually')),
                        '{}'::jsonb)
          into v_exists, v_done, v_decided
          from tasker_steps s
         where s.task_id = v_task.id;
        select coalesce(jsonb_object_agg(b.batch_of::text, b.positions), '{}'::jsonb) into v_instances
          from (select s.batch_of, jsonb_agg(s.position order by s.position) as positions
                  from tasker_steps s
                 where s.task_id = v_task.id and s.batch_of is not null
                 group by s.batch_of) b;
        v_decisions := array(select (e ->> 'position')::int from jsonb_array_elements(v_task.plan) as e
                              where e ->> 'type' = 'decision');
        v_batchables := array(select (e ->> 'position')::int from jsonb_array_elements(v_task.plan) as e
                               where e ->> 'type' = 'batchable');
        v_never := '{}';
        v_runs := p_worker is not null and v_task.namespace = any(p_namespaces);

        for v_entry in select p.e from jsonb_array_elements(v_task.plan) with ordinality as p (e, n)
                        where (p.e ->> 'later')::boolean order by p.n loop
            v_position := (v_entry ->> 'position')::int;
            continue when v_position = any(v_exists);
            v_parents := translate(v_entry ->> 'parents', '[]', '{}')::int[];
            v_batch := null;
            if v_entry ->> 'type' = 'batch_worker' then
                v_batch := (select b from jsonb_array_elements(p_batches) as b
                             where (b ->> 'task')::uuid = v_task.id and (b ->> 'worker')::int = v_position);
                if v_batch is null then
                    if v_parents && v_never
                            or exists (select 1 from unnest(v_parents) as p where p = any(v_batchables)
                                                                              and p = any(v_done)) then
                        v_never := v_never || v_position;
                    end if;
                    continue;
                end if;
            elsif coalesce(v_entry ->> 'type', 'standard') = 'deferred_convergence' then
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
            v_parents := tasker_expand_positions(v_parents, v_instances);
            select count(*)::int into v_pending
              from tasker_steps s
             where s.task_id = v_task.id and s.position = any(v_parents)
               and s.state not in ('complete', 'resolved_manually');

            -- One insert for a step of the plan and for all instances of a batch worker alike.
            with created as (
                insert into tasker_steps as n (id, task_id, position, name, namespace, handler_callable, state,
                                               attempts, max_attempts, retryable, backoff_base_ms, max_backoff_ms,
                                               timeout_seconds, priority, inputs, parents, children, ancestors,
                                               parents_pending, enqueued_at, claimed_by, claimed_at, lease_until,
                                               step_type, created_by, later_children, batch_of)
                select r.id, v_task.id, r.position, r.name, v_task.namespace, v_entry ->> 'callable', r.state,
                       case when r.state = 'in_progress' then 1 else 0 end,
                       (v_entry ->> 'max_attempts')::int, (v_entry ->> 'retryable')::boolean,
                       (v_entry ->> 'backoff_base_ms')::bigint, (v_entry ->> 'max_backoff_ms')::bigint,
                       (v_entry ->> 'timeout_seconds')::int, v_task.priority, r.inputs, v_parents,
                       tasker_expand_positions(translate(v_entry ->> 'children', '[]', '{}')::int[], v_instances),
                       tasker_expand_positions(translate(v_entry ->> 'ancestors', '[]', '{}')::int[], v_instances),
                       v_pending,
                       case when r.state <> 'pending' then now() end,
                       case when r.state = 'in_progress' then p_worker end,
                       case when r.state = 'in_progress' then now() end,
                       case when r.state = 'in_progress' then now() + make_interval(secs => p_lease_seconds) end,
                       v_entry ->> 'type',
                       coalesce((v_batch ->> 'created_by')::int,
                                (select max(d) from unnest(v_deciding) as d where v_entry -> 'ancestors' @> to_jsonb(d)),
                                (select min(d) from unnest(v_deciding) as d)),
                       (v_entry ->> 'later_children')::boolean, r.batch_of
                  from (select s.*,
                               case when v_pending > 0 then 'pending'
                                    when s.k <= v_claim and v_runs
                                         and (p_callables is null or v_entry ->> 'callable' = any(p_callables))
                                    then 'in_progress'
                                    else 'enqueued' end as state
                          from (select (v_entry ->> 'id')::uuid, v_position, v_entry ->> 'name',
                                       coalesce(v_entry -> 'inputs', '{}'::jsonb), null::int, 1::bigint
                                 where v_batch is null
                                union all
                                select tasker_new_id(), 1000000 * v_position + c.k::int,
                                       (v_entry ->> 'name') || '_' || (c.cursor ->> 'batch_id'),
                                       jsonb_build_object('cursor', c.cursor, 'batch_metadata',
                                                          v_entry -> 'batch_metadata', 'is_no_op', v_batch -> 'no_op'),
                                       v_position, c.k
                                  from jsonb_array_elements(v_batch -> 'cursors') with ordinality as c (cursor, k)
                                 where v_batch is not null) s (id, position, name, inputs, batch_of, k)) r
                on conflict (task_id, position) do nothing
                returning n.id, n.state, n.position
            )
            select coalesce(array_agg(c.id order by c.position), '{}'),
                   coalesce(array_agg(c.state::text order by c.position), '{}'),
                   coalesce(array_agg(c.position order by c.position), '{}')
              into v_ids, v_states, v_positions
              from created c;
            v_exists := v_exists || v_position;
            if v_batch is not null then
                v_instances := v_instances || jsonb_build_object(v_position::text, to_jsonb(v_positions));
            end if;
            v_claim := v_claim - cardinality(array_positions(v_states, 'in_progress'));
            return query select r.id, v_task.id, r.state, v_task.namespace
                           from unnest(v_ids, v_states) as r (id, state);
        end loop;
    end loop;
end;
$$;

-- ---------------------------------------------------------------------------------------------
-- The step cycle of V6, plus checkpoints: an outcome {"step_id", "attempt", "state": "checkpoint",
-- "checkpoint": {...}} saves the step's checkpoint and re-dispatches the step (see above); and
-- batches: a batchable step's outcome is read as a decision's is (only a result that holds
-- batch_processing_outcome costs a look-up), stored without its cursor_configs, and its task grows
-- by the batch's worker instances and the steps after them (tasker_grow_tasks); an outcome that is
-- not valid fails the step, not retried (InvalidBatchOutcome).

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
    v_batches        jsonb;
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
                   case when e.doc ->> 'state' <> 'complete' or jsonb_typeof(e.doc -> 'results') <> 'object' then null
                        when (e.doc -> 'results') ? 'decision_point_outcome'
                        then tasker_read_decision((e.doc ->> 'step_id')::uuid, e.doc -> 'results')
                        when (e.doc -> 'results') ? 'batch_processing_outcome'
                        then tasker_read_batch((e.doc ->> 'step_id')::uuid, e.doc -> 'results') end as verdict
              from jsonb_array_elements(p_outcomes) as e (doc)
             where e.doc ->> 'state' <> 'checkpoint'
        ), changed as (
            update tasker_steps s
               set state = case when s.step_type in ('decision', 'batchable') and o.state = 'complete'
                                     and (o.verdict is null or o.verdict ? 'problem') then 'error' else o.state end,
                   results = case when o.state = 'complete' and (s.step_type is distinct from 'decision'
                                       and s.step_type is distinct from 'batchable' or not coalesce(o.verdict ? 'problem', true))
                                  then case when s.step_type = 'batchable'
                                            then o.results #- '{batch_processing_outcome,cursor_configs}'
                                            else o.results end
                                  else s.results end,
                   result_metadata = case when o.state = 'complete' and (s.step_type is distinct from 'decision'
                                               and s.step_type is distinct from 'batchable'
                                               or not coalesce(o.verdict ? 'problem', true))
                                          then o.metadata else s.result_metadata end,
                   last_error = case when s.step_type in ('decision', 'batchable') and o.state = 'complete'
                                          and (o.verdict is null or o.verdict ? 'problem')
                                     then case when s.step_type = 'decision'
                                               then tasker_decision_error(s.name, o.verdict, o.results, s.attempts,
                                                                          s.max_attempts)
                                               else tasker_batch_error(s.name, o.verdict, o.results, s.attempts,
                                                                       s.max_attempts) end
                                     else o.error end,
                   branches = case when s.step_type = 'decision' and o.state = 'complete'
                                        and coalesce(o.verdict ? 'branches', false)
                                   then translate(o.verdict ->> 'branches', '[]', '{}')::int[] else s.branches end,
                   lease_until = null,
                   next_attempt_at = case when o.state = 'waiting_for_retry'
                                          then now() + make_interval(secs => o.retry_in_ms / 1000) end,
                   completed_at = case when o.state = 'complete' and (s.step_type is distinct from 'decision'
                                            and s.step_type is distinct from 'batchable'
                                            or not coalesce(o.verdict ? 'problem', true)) then now() end,
                   updated_at = now()
              from o
             where s.id = o.step_id and s.state = 'in_progress' and s.claimed_by = p_worker and s.attempts = o.attempt
            returning s.id, s.task_id, s.namespace, s.state, s.children, s.attempts, s.enqueued_at, s.claimed_at,
                      s.last_error as error, s.position, s.step_type, s.later_children, o.verdict
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
               coalesce(array_agg(c.task_id) filter (where c.state = 'complete'
                                                       and c.step_type in ('decision', 'batchable')), '{}'),
               coalesce(array_agg(c.position) filter (where c.state = 'complete'
                                                        and c.step_type in ('decision', 'batchable')), '{}'),
               jsonb_agg(c.verdict -> 'batch' || jsonb_build_object('task', c.task_id, 'created_by', c.position))
                   filter (where c.state = 'complete' and c.step_type = 'batchable')
          into v_recorded_ids, v_recorded_tasks, v_recorded_state, v_left_tasks, v_kept_tasks, v_retried_now,
               v_enqueued_ns, v_child_tasks, v_child_pos, v_locking_tasks, v_decided_tasks, v_decided_pos, v_batches
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

        -- Decisions and batches made: their tasks grow. Steps created ready keep their task going; those this
        -- worker has slots for and runs are claimed for it right here, the others enqueued.
        if cardinality(v_decided_tasks) > 0 then
            select v_claimed || coalesce(array_agg(g.step_id) filter (where g.state = 'in_progress'), '{}'),
                   v_enqueued || coalesce(array_agg(g.step_id) filter (where g.state = 'enqueued'), '{}'),
                   v_enqueued_ns || coalesce(array_agg(g.namespace) filter (where g.state = 'enqueued'), '{}'),
                   v_kept_tasks || coalesce(array_agg(g.task_id) filter (where g.state <> 'pending'), '{}')
              into v_claimed, v_enqueued, v_enqueued_ns, v_kept_tasks
              from tasker_grow_tasks(v_decided_tasks, v_decided_pos, p_worker, v_budget - cardinality(v_claimed),
                                     p_namespaces, p_callables, p_lease_seconds, v_batches) as g;
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

-- ---------------------------------------------------------------------------------------------
-- A task as clients see it, as in V6, plus batches: a batch worker instance has its "batch"
-- (worker template, batch id, cursor, whether it is the placeholder of no_batches) and a step its
-- "checkpoint" when it saved one. Instances come in their batch worker's place in the template.
-- Each step's depends_on and created_by are index look-ups of the positions it names (see
-- tasker_claimed_steps for why so), so a task with 10,000 instances and a convergence step that
-- waits for all of them costs linear time.

create or replace function tasker_task_document(p_task_id uuid)
returns jsonb
language plpgsql
stable
set plan_cache_mode = force_generic_plan
set enable_seqscan = off
set enable_hashjoin = off
set enable_mergejoin = off
set work_mem = '64MB'
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
                                  'depends_on', coalesce(d.names, '[]'::jsonb),
                                  'created_by', case when s.created_by is not null then
                                                    (select c.name from tasker_steps c
                                                      where c.task_id = s.task_id and c.position = s.created_by) end,
                                  'attempts', s.attempts, 'max_attempts', s.max_attempts, 'results', s.results,
                                  'last_error', s.last_error, 'next_attempt_at', s.next_attempt_at,
                                  'created_at', s.created_at, 'updated_at', s.updated_at,
                                  'completed_at', s.completed_at)
                              || case when s.batch_of is not null then jsonb_build_object('batch', jsonb_build_object(
                                     'worker_template',
                                     left(s.name, length(s.name) - length(s.inputs #>> '{cursor,batch_id}') - 1),
                                     'batch_id', s.inputs #>> '{cursor,batch_id}', 'cursor', s.inputs -> 'cursor',
                                     'no_op', coalesce((s.inputs ->> 'is_no_op')::boolean, false)))
                                      else '{}'::jsonb end
                              || case when s.checkpoint is not null then jsonb_build_object('checkpoint', s.checkpoint)
                                      else '{}'::jsonb end
                              order by coalesce(s.batch_of, s.position), s.position)
                         from tasker_steps s
                         left join lateral (select jsonb_agg(p.name order by p.position) as names
                                              from unnest(s.parents) as n (position)
                                             cross join lateral (select p.name, p.position from tasker_steps p
                                                                  where p.task_id = s.task_id
                                                                    and p.position = n.position offset 0) p
                                           ) d on true
                        where s.task_id = t.id), '[]'::jsonb))
          from tasker_tasks t
         where t.id = p_task_id);
end;
$$;
