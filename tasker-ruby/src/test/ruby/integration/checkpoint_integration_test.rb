# frozen_string_literal: true

require 'test_helper'

module CheckpointIt
  # What the handler did for each task: its runs (attempt, where it started) and how often each
  # item was processed.
  RUNS = Hash.new { |hash, task| hash[task] = { runs: [], processed: Hash.new(0) } }
  LOCK = Mutex.new

  # Sums the items 0 until total, chunk of them per run, as a tasker-core batch worker that
  # checkpoints: it resumes from its last checkpoint and yields a new one after each run but the
  # last. Fails once, on its first attempt, at item fail_at.
  class ChunkedSum < TaskerCore::StepHandler::Batchable
    def call(context)
      total, chunk, fail_at = context.task.context.values_at('total', 'chunk', 'fail_at')
      from = context.checkpoint_cursor || 0
      sum = context.accumulated_results&.[]('sum') || 0
      LOCK.synchronize { RUNS[context.task_uuid][:runs] << [context.attempts, from] }
      to = [from + chunk, total].min
      (from...to).each do |item|
        raise TaskerCore::Errors::RetryableError, "injected failure at item #{item}" if item == fail_at && context.attempts == 1

        LOCK.synchronize { RUNS[context.task_uuid][:processed][item] += 1 }
        sum += item
      end
      return checkpoint_yield(cursor: to, items_processed: to, accumulated_results: { 'sum' => sum }) if to < total

      success(result: { 'sum' => sum, 'items' => total })
    end
  end
end

# A Ruby handler that yields checkpoints, on a real worker and database: each run goes on from the
# last checkpoint at the same attempt, and a retry after a failure resumes from it.
class CheckpointIntegrationTest < Minitest::Test
  include TaskerTest::Integration
  extend TaskerTest::Integration

  NAMESPACE = 'ruby_checkpoint_it'
  SUM = (0...1000).sum

  TEMPLATE = <<~YAML
    ---
    name: chunked
    namespace_name: #{NAMESPACE}
    version: 1.0.0
    steps:
      - name: sum_items
        handler:
          callable: CheckpointIt::ChunkedSum
        retry:
          retryable: true
          max_attempts: 3
          backoff_base_ms: 0
          max_backoff_ms: 0
  YAML

  def self.tasks
    @tasks ||= with_worker(NAMESPACE, TEMPLATE) do
      ids = { plain: create_task(NAMESPACE, 'chunked', { 'total' => 1000, 'chunk' => 100 }),
              failing: create_task(NAMESPACE, 'chunked', { 'total' => 1000, 'chunk' => 100, 'fail_at' => 550 }) }
      ids.transform_values { |id| await_task(id) }
    end
  end

  def setup
    @tasks = self.class.tasks
  end

  def test_each_chunk_runs_once_at_the_same_attempt_and_the_checkpoints_are_kept
    task = @tasks[:plain]
    summed = step(task, 'sum_items')

    assert_equal 'complete', task['state'], task.inspect
    assert_equal [{ 'sum' => SUM, 'items' => 1000 }, 1], summed.values_at('results', 'attempts')
    runs = CheckpointIt::RUNS[task['id']]
    assert_equal((0...10).map { |i| [1, i * 100] }, runs[:runs])
    assert_equal (0...1000).to_a, runs[:processed].keys.sort
    assert_equal [1], runs[:processed].values.uniq
    saved = JSON.parse(database.step_checkpoint(task['id'], 'sum_items'))
    assert_equal [900, 900, { 'sum' => (0...900).sum }],
                 saved.values_at('cursor', 'items_processed', 'accumulated_results')
    assert_equal (1..9).map { |i| i * 100 }, saved['history'].map { |entry| entry['cursor'] }
  end

  def test_a_retry_after_a_failure_resumes_from_the_last_checkpoint
    task = @tasks[:failing]
    summed = step(task, 'sum_items')

    assert_equal 'complete', task['state'], task.inspect
    assert_equal [SUM, 2], [summed['results']['sum'], summed['attempts']]
    runs = CheckpointIt::RUNS[task['id']]
    assert_equal((0..5).map { |i| [1, i * 100] } + (5..9).map { |i| [2, i * 100] }, runs[:runs])
    twice = runs[:processed].select { |_item, times| times == 2 }.keys.sort
    assert_equal (500...550).to_a, twice
    assert_equal 1000, runs[:processed].size
  end
end
