-- Operator actions (cancel a task; retry, resolve or complete a step by hand), dead letters that
-- can be resolved, and the lists that find tasks and steps to act on.

-- Who resolved a dead letter, and how.
alter table tasker_dead_letters add column resolved_by text;
alter table tasker_dead_letters add column resolution text;
create index tasker_dead_letters_newest on tasker_dead_letters (created_at desc, id desc);

-- Task lists page through tasker_tasks_recent, newest first, filtering as they go: an index per
-- filter would cost every task creation a write (V2 dropped those for that reason).

-- Steps an operator looks for across tasks: those that failed. Partial, so the step path, which
-- never writes a step in error, pays nothing for it.
create index tasker_steps_failed on tasker_steps (namespace) where state = 'error';
