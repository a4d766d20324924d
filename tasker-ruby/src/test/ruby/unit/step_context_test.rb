# frozen_string_literal: true

require 'test_helper'

# The step context answers tasker-core's StepContext calls next to its own.
class StepContextTest < Minitest::Test
  def setup
    @event = TaskerTest::StepEvents.execution_event(
      callable: 'Billing::Charge', step_name: 'charge', namespace: 'billing',
      context: { 'order' => { 'id' => 7, 'total' => 12 }, 'flag' => false },
      inputs: { 'currency' => 'EUR', 'limits' => { 'max' => 100 } },
      dependency_results: { 'validate' => { 'ok' => true, 'items' => [{ 'sku' => 'A' }] }, 'price' => 12 },
      attempt: 2, max_attempts: 3
    )
    @step = @event[:task_sequence_step]
    @context = TaskerCore::TaskSequenceStepWrapper.new(@step)
  end

  def test_tasker_cores_constants_name_this_class
    assert_same TaskerCore::TaskSequenceStepWrapper, TaskerCore::Types::StepContext
    assert_same TaskerCore::TaskSequenceStepWrapper, TaskerCore::Types::TaskSequenceStep
    assert_same TaskerCore::TaskSequenceStepWrapper, TaskerCore::Models::TaskSequenceStepWrapper
  end

  def test_identity_and_names
    assert_equal @step[:task_uuid], @context.task_uuid
    assert_equal @step[:step_uuid], @context.step_uuid
    assert_equal 'charge', @context.step_name
    assert_equal 'billing', @context.namespace_name
    assert_equal 'Billing::Charge', @context.handler_name
    assert_match(/StepContext|TaskSequenceStepWrapper/, @context.to_s)
  end

  def test_task_context_inputs_and_config
    assert_same @context.task_context, @context.context
    assert_equal 7, @context.get_input('order')['id']
    assert_equal 7, @context.get_task_field(:order)[:id]
    assert_equal false, @context.get_input_or('flag', true)
    assert_equal 'default', @context.get_input_or('missing', 'default')
    assert_equal 'EUR', @context.get_config('currency')
    assert_equal 100, @context.get_config(:limits)[:max]
    assert_same @context.step_inputs, @context.step_config
    assert_equal({}, @context.input_data)
  end

  def test_dependency_results
    assert_equal 12, @context.get_dependency_result('price')
    assert_equal 'A', @context.get_dependency_field('validate', 'items', 0, 'sku')
    assert_equal 'A', @context.get_dependency_field(:validate, :items, 0, :sku)
    assert_nil @context.get_dependency_field('nothing', 'x')
    deps = @context.dependency_results
    assert_equal %w[validate price], deps.keys
    assert_equal 12, deps.get_results(:price)
    assert_equal({ 'result' => 12 }, deps.get_result('price'))
    assert_nil deps.get_result('nothing')
    assert_equal true, deps[:validate][:ok]
    named = []
    deps.each_key { |name| named << name }
    assert_equal %w[validate price], named
  end

  def test_retries
    assert_equal 2, @context.attempts
    assert_equal 1, @context.retry_count
    assert_equal 3, @context.max_retries
    assert @context.is_retry?
    refute @context.is_last_retry?
    assert @context.retryable?
    last = TaskerCore::TaskSequenceStepWrapper.new(@step.merge(attempt: 3))
    assert last.is_last_retry?
    first = TaskerCore::TaskSequenceStepWrapper.new(@step.merge(attempt: 1))
    refute first.is_retry?
  end

  def test_a_step_that_saved_no_checkpoint_has_none
    assert_nil @context.checkpoint
    assert_nil @context.checkpoint_cursor
    assert_nil @context.accumulated_results
    assert_equal 0, @context.checkpoint_items_processed
    refute @context.has_checkpoint?
    assert_nil @context.workflow_step.checkpoint
  end

  def test_a_batch_workers_inputs_and_checkpoint_are_the_steps_own
    inputs = { 'cursor' => { 'batch_id' => '002', 'start_cursor' => 500, 'end_cursor' => 1000, 'batch_size' => 500 },
               'batch_metadata' => { 'checkpoint_interval' => 100 }, 'is_no_op' => false }
    checkpoint = { 'cursor' => 700, 'items_processed' => 200, 'accumulated_results' => { 'sum' => 9 },
                   'timestamp' => '2026-01-06T12:00:00Z', 'history' => [{ 'cursor' => 700 }] }
    context = TaskerCore::TaskSequenceStepWrapper.new(@step.merge(inputs: inputs, checkpoint: checkpoint))

    assert_equal 500, context.input_data[:cursor][:start_cursor]
    assert_equal inputs, context.workflow_step.inputs
    assert_equal [700, 200, { 'sum' => 9 }, true],
                 [context.checkpoint_cursor, context.checkpoint_items_processed, context.accumulated_results,
                  context.has_checkpoint?]
    assert_equal 700, context.workflow_step.checkpoint[:cursor]
    batch = TaskerCore::BatchProcessing::BatchWorkerContext.from_step_data(context.workflow_step)
    assert_equal ['002', 500, 1000, false, 700, 9], [batch.batch_id, batch.start_cursor, batch.end_cursor,
                                                     batch.no_op?, batch.checkpoint_cursor,
                                                     batch.accumulated_results[:sum]]
  end

  def test_task_workflow_step_and_step_definition
    task = @context.task
    assert_equal [@step[:task_uuid], 'billing', 'billing', 'test_task', 'test_task', '1.0.0'],
                 [task.task_uuid, task.namespace_name, task.namespace, task.task_name, task.name, task.task_version]
    assert_equal 7, task.context[:order][:id]

    step = @context.workflow_step
    assert_equal [@step[:step_uuid], @step[:task_uuid], 'charge', 'charge', 1, 3, true],
                 [step.workflow_step_uuid, step.task_uuid, step.name, step.step_name, step.attempts,
                  step.max_attempts, step.retryable]
    assert_equal({}, step.inputs)
    step.results['notes'] = 'handlers may write here'
    assert_equal 'handlers may write here', step.results[:notes]

    definition = @context.step_definition
    assert_equal ['charge', 'Billing::Charge', 'EUR', nil, %w[validate price], 30, 3],
                 [definition.name, definition.handler.callable, definition.handler.initialization[:currency],
                  definition.handler.handler_method, definition.dependencies,
                  definition.timeout_seconds, definition.retry[:max_attempts]]
  end

  def test_the_template_method_is_read
    @step[:step_definition][:method] = 'refund'
    context = TaskerCore::TaskSequenceStepWrapper.new(@step)

    assert_equal 'refund', context.handler_method
    assert_equal 'refund', context.step_definition.handler.handler_method
  end
end
