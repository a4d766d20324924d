# frozen_string_literal: true

require 'test_helper'

module BatchIt
  # The batchable step, as tasker-core's CSV analyzer: splits the task's total items among its
  # workers, or chooses no batches when there are none.
  class Analyze < TaskerCore::StepHandler::Batchable
    def call(context)
      total, workers = context.get_input('total'), context.get_input('workers')
      return no_batches_outcome(reason: 'no items', metadata: { 'total_rows' => 0 }) if total.zero?

      create_batches_outcome(worker_template_name: 'sum_batch', cursor_configs: create_cursor_configs(total, workers),
                             total_items: total, metadata: { 'source' => 'numbers' })
    end
  end

  # A batch worker: sums its range, yielding a checkpoint every checkpoint_interval items.
  class SumBatch < TaskerCore::StepHandler::Batchable
    def call(context)
      batch = get_batch_context(context)
      no_op = handle_no_op_worker(batch)
      return no_op if no_op

      interval = batch.batch_metadata[:checkpoint_interval]
      from = batch.checkpoint_cursor || batch.start_cursor
      sum = (batch.accumulated_results || {})['sum'] || 0
      to = [from + interval, batch.end_cursor].min
      sum += (from...to).sum
      if to < batch.end_cursor
        return checkpoint_yield(cursor: to, items_processed: to - batch.start_cursor,
                                accumulated_results: { 'sum' => sum })
      end

      batch_worker_success(items_processed: batch.end_cursor - batch.start_cursor,
                           items_succeeded: batch.end_cursor - batch.start_cursor, metadata: { 'sum' => sum })
    end
  end

  # The convergence step, as tasker-core's aggregator.
  class Total < TaskerCore::StepHandler::Batchable
    def call(context)
      scenario = detect_aggregation_scenario(context.dependency_results, 'analyze', 'sum_batch_')
      aggregate_batch_worker_results(scenario, zero_metrics: { 'sum' => 0 }) do |results|
        { 'sum' => results.values.sum { |result| result['sum'] || 0 } }
      end
    end
  end
end

# A batch run end to end by tasker-core style Ruby handlers on a real worker: three workers that
# checkpoint, and no batches (one placeholder worker), each ending in the convergence step.
class BatchIntegrationTest < Minitest::Test
  include TaskerTest::Integration
  extend TaskerTest::Integration

  NAMESPACE = 'ruby_batch_it'

  TEMPLATE = <<~YAML
    ---
    name: batch_sum
    namespace_name: #{NAMESPACE}
    version: 1.0.0
    steps:
      - name: analyze
        type: batchable
        handler:
          callable: BatchIt::Analyze
      - name: sum_batch
        type: batch_worker
        dependencies: [analyze]
        handler:
          callable: BatchIt::SumBatch
        batch_config:
          batch_size: 334
          checkpoint_interval: 100
      - name: total
        type: deferred_convergence
        dependencies: [sum_batch]
        handler:
          callable: BatchIt::Total
  YAML

  def self.tasks
    @tasks ||= with_worker(NAMESPACE, TEMPLATE) do
      ids = { three: create_task(NAMESPACE, 'batch_sum', { 'total' => 1000, 'workers' => 3 }),
              none: create_task(NAMESPACE, 'batch_sum', { 'total' => 0, 'workers' => 3 }) }
      ids.transform_values { |id| await_task(id) }
    end
  end

  def setup
    @tasks = self.class.tasks
  end

  def test_three_workers_checkpoint_through_their_ranges_and_the_convergence_step_adds_them_up
    task = @tasks[:three]

    assert_equal 'complete', task['state'], task.inspect
    assert_equal %w[analyze sum_batch_001 sum_batch_002 sum_batch_003 total], task['steps'].map { |s| s['name'] }.sort
    assert_equal({ 'type' => 'create_batches', 'worker_template_name' => 'sum_batch', 'worker_count' => 3,
                   'total_items' => 1000 }, step(task, 'analyze')['results']['batch_processing_outcome'])
    assert_equal (668...1000).sum, step(task, 'sum_batch_003')['results']['sum']
    assert_equal [1], task['steps'].map { |s| s['attempts'] }.uniq
    history = JSON.parse(database.step_checkpoint(task['id'], 'sum_batch_002'))['history']
    assert_equal [434, 534, 634], history.map { |entry| entry['cursor'] }
    assert_equal({ 'sum' => (0...1000).sum, 'worker_count' => 3, 'scenario' => 'with_batches' },
                 step(task, 'total')['results'])
  end

  def test_no_batches_runs_one_placeholder_worker_and_the_convergence_step
    task = @tasks[:none]

    assert_equal 'complete', task['state'], task.inspect
    assert_equal %w[analyze sum_batch_001 total], task['steps'].map { |s| s['name'] }.sort
    assert_equal({ 'batch_processing_outcome' => { 'type' => 'no_batches' }, 'reason' => 'no items',
                   'total_rows' => 0 }, step(task, 'analyze')['results'])
    assert_equal true, step(task, 'sum_batch_001')['results']['no_op']
    assert_equal({ 'sum' => 0, 'worker_count' => 1, 'scenario' => 'with_batches' }, step(task, 'total')['results'])
  end
end
