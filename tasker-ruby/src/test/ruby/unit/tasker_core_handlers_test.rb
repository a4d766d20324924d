# frozen_string_literal: true

require 'test_helper'
require 'jruby'
require 'json'

# Handlers in the style of tasker-core's Ruby worker, both generations, run by this worker's
# subscriber as they are.
module TaskerCoreStyle
  # 2025 generation: call(task, sequence, step).
  class SquareHandler < TaskerCore::StepHandler::Base
    def call(task, sequence, step)
      previous = sequence.get_results('seed') || task.context['start']
      logger.info "#{step.name} squares #{previous}"
      TaskerCore::Types::StepHandlerCallResult.success(
        result: { value: previous * previous, from: step.workflow_step_uuid },
        metadata: { operation: :square, task: task.task_uuid }
      )
    end
  end

  class ReportsEverything < TaskerCore::StepHandler::Base
    def call(task, sequence, step)
      {
        'task' => [task.task_uuid, task.namespace, task.name, task.namespace_name, task.task_name,
                   task.context[:order][:id], task.context['order']['id']],
        'sequence' => [sequence.get_results(:seed), sequence.get_result('seed'), sequence['seed'], sequence.keys],
        'step' => [step.name, step.step_name, step.workflow_step_uuid, step.attempts, step.max_attempts,
                   step.results.to_h, step.inputs.to_h],
        'config' => config[:currency]
      }
    end
  end

  class OldStyleFailure < TaskerCore::StepHandler::Base
    def call(_task, _sequence, step)
      raise TaskerCore::Errors::RetryableError.new(
        "gateway timeout (attempt #{step.attempts + 1})",
        retry_after: 5,
        context: { error_code: 'GATEWAY_TIMEOUT', gateway: 'acme', since: Time.at(0) }
      )
    end
  end

  # Says `handler:` in its metadata, as tasker-core's example handlers do.
  class NamesItself < TaskerCore::StepHandler::Base
    def call(_context)
      success(result: { ok: true }, metadata: { handler: 'NamesItself', step_name: 'named' })
    end
  end

  # Current generation: call(context).
  class ContextHandler < TaskerCore::StepHandler::Base
    def call(context)
      order = context.get_input('order')
      raise TaskerCore::Errors::PermanentError.new('order is required', error_code: 'NO_ORDER') unless order

      success(
        result: {
          order_id: order[:id],
          price: context.get_dependency_result('price'),
          first_sku: context.get_dependency_field('validate', :items, 0, :sku),
          currency: context.get_config('currency'),
          priority: context.get_input_or('priority', 'normal'),
          retry: context.retry_count
        },
        metadata: { checked_by: self.class.name }
      )
    end
  end

  class ResultDataHandler < TaskerCore::StepHandler::Base
    def call(_context)
      success(result_data: { 'batch' => 1 }, metadata: { 'kind' => 'result_data' })
    end
  end

  class ReturnsFailures < TaskerCore::StepHandler::Base
    def call(context)
      case context.get_input('how')
      when 'helper'
        failure(message: 'declined', error_type: 'PaymentError', error_code: 'DECLINED', retryable: true,
                metadata: { gateway: 'acme' })
      when 'error'
        TaskerCore::Types::StepHandlerCallResult.error(error_type: 'PermanentError', message: 'no stock',
                                                       error_code: 'NO_STOCK', retryable: false)
      when 'failure'
        TaskerCore::Types::StepHandlerCallResult.failure(error_message: 'bad amount', error_code: 'AMOUNT',
                                                         error_type: 'ValidationError', retryable: false)
      end
    end
  end

  class RaisesByName < TaskerCore::StepHandler::Base
    def call(context)
      name = context.get_input('error')
      klass = TaskerCore::Errors.const_get(name)
      raise klass, "#{name} raised"
    end
  end

  class RaisesValidation < TaskerCore::StepHandler::Base
    def call(_context)
      raise TaskerCore::Errors::ValidationError.new('amount must be positive', field: 'amount',
                                                                               error_code: 'NEGATIVE_AMOUNT',
                                                                               context: { amount: -5 })
    end
  end

  # Template method dispatch (handler.method), in both call styles.
  class MultiMethod < TaskerCore::StepHandler::Base
    def call(_context) = success(result: { invoked: 'call' })
    def refund(context) = success(result: { invoked: 'refund', amount: context.get_input('amount') })
    def legacy(task, _sequence, _step) = { 'invoked' => 'legacy', 'task' => task.task_uuid }

    private

    def secret(_context) = { 'invoked' => 'secret' }
  end

  class RoutesBySize < TaskerCore::StepHandler::Decision
    def call(context)
      amount = context.get_input('amount')
      return decision_no_branches(result_data: { reason: 'tiny' }) if amount < 10

      decision_success(steps: amount < 1000 ? ['auto_approve'] : %w[manager finance], result_data: { amount: amount })
    end
  end

  class Checkpoints < TaskerCore::StepHandler::Batchable
    def call(_context)
      checkpoint_yield(cursor: 100, items_processed: 100, accumulated_results: { total: 5 })
    end
  end

  # A class of its own making: its initialize takes no config.
  class NoConfig < TaskerCore::StepHandler::Base
    def initialize
      super()
      @made_without_config = true
    end

    def call(_context) = { 'made_without_config' => @made_without_config, 'config' => config.to_h }
  end
end

class TaskerCoreHandlersTest < Minitest::Test
  class RecordingBridge
    attr_reader :completions

    def initialize
      @completions = []
    end

    def publish_step_completion(completion)
      @completions << completion
    end
  end

  def setup
    @bridge = RecordingBridge.new
    @subscriber = TaskerCore::Worker::StepExecutionSubscriber.new(event_bridge: @bridge)
  end

  def run_step(handler, method: nil, **options)
    event = TaskerTest::StepEvents.execution_event(callable: handler.name, **options)
    event[:task_sequence_step][:step_definition][:method] = method if method
    @subscriber.call(event.merge(task_sequence_step: TaskerCore::TaskSequenceStepWrapper.new(event[:task_sequence_step])))
    @bridge.completions.last
  end

  # What the foundation stores: the completion as JSON.
  def stored(completion)
    event = Java::IoTaskerRubyInternal::RubyConversions.toCompletion(JRuby.runtime.current_context, completion)
    json = event.success ? event.result : event.errorDetails
    json && JSON.parse(json.toString)
  end

  def test_a_three_argument_handler_gets_task_sequence_and_step
    completion = run_step(TaskerCoreStyle::SquareHandler, step_name: 'square', dependency_results: { 'seed' => 6 })

    assert_equal true, completion[:success]
    assert_equal 36, completion[:result][:value]
    assert_equal({ 'value' => 36, 'from' => completion[:step_uuid] }, stored(completion))
    assert_equal :square, completion[:metadata]['operation']
  end

  def test_the_three_objects_answer_tasker_cores_calls
    completion = run_step(TaskerCoreStyle::ReportsEverything, step_name: 'report', namespace: 'billing',
                                                              context: { 'order' => { 'id' => 7 } },
                                                              inputs: { 'currency' => 'EUR' },
                                                              dependency_results: { 'seed' => 6 }, attempt: 2)
    result = completion[:result]

    assert_equal [completion[:task_uuid], 'billing', 'test_task', 'billing', 'test_task', 7, 7], result['task']
    assert_equal [6, { 'result' => 6 }, 6, ['seed']], result['sequence']
    assert_equal ['report', 'report', completion[:step_uuid], 1, 3, {}, {}], result['step']
    assert_equal 'EUR', result['config']
  end

  def test_a_context_handler_reads_inputs_dependencies_and_config
    completion = run_step(TaskerCoreStyle::ContextHandler,
                          context: { 'order' => { 'id' => 9 } }, inputs: { 'currency' => 'EUR' },
                          dependency_results: { 'price' => 12, 'validate' => { 'items' => [{ 'sku' => 'A' }] } })

    assert_equal({ 'order_id' => 9, 'price' => 12, 'first_sku' => 'A', 'currency' => 'EUR', 'priority' => 'normal',
                   'retry' => 0 }, stored(completion))
    assert_equal 'TaskerCoreStyle::ContextHandler', completion[:metadata]['checked_by']
  end

  def test_the_handlers_own_metadata_wins_over_the_workers_whatever_its_keys
    completion = run_step(TaskerCoreStyle::NamesItself)
    stored_metadata = Java::IoTaskerRubyInternal::RubyConversions.toCompletion(JRuby.runtime.current_context, completion)
                                                                 .metadata

    assert_equal true, completion[:success]
    assert_equal 'NamesItself', completion[:metadata]['handler']
    refute completion[:metadata].key?(:handler)
    assert_equal 'NamesItself', JSON.parse(stored_metadata.toString)['handler']
    assert completion[:metadata].key?('duration_ms')
  end

  def test_success_takes_result_data_too
    completion = run_step(TaskerCoreStyle::ResultDataHandler)

    assert_equal({ 'batch' => 1 }, completion[:result])
    assert_equal 'result_data', completion[:metadata]['kind']
  end

  def test_failures_returned_in_each_form
    helper = run_step(TaskerCoreStyle::ReturnsFailures, context: { 'how' => 'helper' })
    error = run_step(TaskerCoreStyle::ReturnsFailures, context: { 'how' => 'error' })
    failure = run_step(TaskerCoreStyle::ReturnsFailures, context: { 'how' => 'failure' })

    assert_equal ['declined', 'PaymentError', true, { 'error_code' => 'DECLINED' }],
                 helper.values_at(:error_message, :error_type, :retryable, :error_details)
    assert_equal 'acme', helper[:metadata]['gateway']
    assert_equal ['no stock', 'PermanentError', false, { 'error_code' => 'NO_STOCK' }],
                 error.values_at(:error_message, :error_type, :retryable, :error_details)
    assert_equal ['bad amount', 'ValidationError', false, { 'error_code' => 'AMOUNT' }],
                 failure.values_at(:error_message, :error_type, :retryable, :error_details)
  end

  def test_a_retryable_error_records_retry_after_code_and_context
    completion = run_step(TaskerCoreStyle::OldStyleFailure)
    details = stored(completion)

    assert_equal [false, true, 5, 'RetryableError', 'gateway timeout (attempt 1)'],
                 completion.values_at(:success, :retryable, :retry_after, :error_type, :error_message)
    assert_equal 'GATEWAY_TIMEOUT', details['error_code']
    assert_equal({ 'error_code' => 'GATEWAY_TIMEOUT', 'gateway' => 'acme', 'since' => '1970-01-01T00:00:00.000000Z' },
                 details['context'])
    assert_equal 'TaskerCore::Errors::RetryableError', details['exception_class']
  end

  def test_a_permanent_error_records_its_code
    completion = run_step(TaskerCoreStyle::ContextHandler)

    assert_equal [false, false, 'PermanentError', 'order is required'],
                 completion.values_at(:success, :retryable, :error_type, :error_message)
    assert_equal 'NO_ORDER', stored(completion)['error_code']
    refute stored(completion).key?('context')
  end

  def test_a_validation_error_records_field_code_and_context
    details = stored(run_step(TaskerCoreStyle::RaisesValidation))

    assert_equal ['NEGATIVE_AMOUNT', 'amount', { 'amount' => -5 }], details.values_at('error_code', 'field', 'context')
  end

  def test_retryability_of_each_error_class_raised
    expected = { 'PermanentError' => false, 'ValidationError' => false, 'NotFoundError' => false,
                 'ConfigurationError' => false, 'DatabaseError' => false, 'FFIError' => false,
                 'RetryableError' => true, 'NetworkError' => true, 'TimeoutError' => true,
                 'OrchestrationError' => true, 'ServerError' => true, 'ProceduralError' => true }

    actual = expected.keys.to_h do |name|
      completion = run_step(TaskerCoreStyle::RaisesByName, context: { 'error' => name })
      assert_equal ["#{name} raised", name], completion.values_at(:error_message, :error_type)
      [name, completion[:retryable]]
    end
    assert_equal expected, actual
  end

  def test_the_template_method_is_called_instead_of_call
    assert_equal({ invoked: 'call' }, run_step(TaskerCoreStyle::MultiMethod)[:result])
    assert_equal({ invoked: 'refund', amount: 5 },
                 run_step(TaskerCoreStyle::MultiMethod, method: 'refund', context: { 'amount' => 5 })[:result])
    assert_equal({ invoked: 'call' }, run_step(TaskerCoreStyle::MultiMethod, method: 'call')[:result])
    legacy = run_step(TaskerCoreStyle::MultiMethod, method: 'legacy')
    assert_equal({ 'invoked' => 'legacy', 'task' => legacy[:task_uuid] }, legacy[:result])
  end

  def test_a_missing_or_private_method_fails_permanently
    %w[nope secret].each do |name|
      completion = run_step(TaskerCoreStyle::MultiMethod, method: name)

      assert_equal [false, false, 'HandlerMethodNotFound'], completion.values_at(:success, :retryable, :error_type)
      assert_equal "TaskerCoreStyle::MultiMethod has no public method #{name} for the template's handler method",
                   completion[:error_message]
    end
  end

  def test_decision_outcomes_are_stored_beside_the_result_data_as_tasker_core_stores_them
    routed = stored(run_step(TaskerCoreStyle::RoutesBySize, context: { 'amount' => 5000 }))
    skipped = stored(run_step(TaskerCoreStyle::RoutesBySize, context: { 'amount' => 1 }))

    assert_equal({ 'amount' => 5000, 'decision_point_outcome' => { 'type' => 'create_steps',
                                                                   'step_names' => %w[manager finance] } }, routed)
    assert_equal({ 'reason' => 'tiny', 'decision_point_outcome' => { 'type' => 'no_branches' } }, skipped)
  end

  def test_a_checkpoint_yield_is_sent_as_the_steps_checkpoint
    completion = run_step(TaskerCoreStyle::Checkpoints)

    assert_equal({ cursor: 100, items_processed: 100, accumulated_results: { total: 5 } }, completion[:checkpoint])
    assert_equal false, completion[:success]
    refute completion.key?(:error_message)
  end

  def test_config_is_the_handler_initialization_when_initialize_takes_it
    completion = run_step(TaskerCoreStyle::NoConfig, inputs: { 'currency' => 'EUR' })

    assert_equal({ 'made_without_config' => true, 'config' => {} }, completion[:result])
    assert_equal 'EUR', TaskerCoreStyle::ReportsEverything.new(config: { 'currency' => 'EUR' }).config[:currency]
  end

  def test_abstract_bases_are_not_registered_as_handlers
    classes = TaskerCore::StepHandler::Base.handler_classes

    refute_includes classes, TaskerCore::StepHandler::Decision
    refute_includes classes, TaskerCore::StepHandler::Batchable
    refute_includes classes, TaskerCore::StepHandler::Api
    assert_includes classes, TaskerCoreStyle::RoutesBySize
  end
end
