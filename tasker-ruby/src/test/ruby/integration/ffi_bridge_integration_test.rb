# frozen_string_literal: true

require 'test_helper'

module FfiIt
  class Validate < TaskerCore::StepHandler::Base
    def call(context)
      order = context.task_context.fetch('order')
      raise TaskerCore::Errors::PermanentError, 'order has no items' if order['items'].empty?

      success(result: { 'valid' => true, 'count' => order['items'].size })
    end
  end

  class Price < TaskerCore::StepHandler::Base
    def call(context)
      items = context.task_context.dig('order', 'items')
      { 'total' => items.sum { |i| i['price'] * i['quantity'] }, 'big' => 2**100 + context.dependency_result('validate')['count'] }
    end
  end

  class Confirm < TaskerCore::StepHandler::Base
    def call(context)
      success(result: { 'confirmed' => context.dependency_result('price')['total'].to_s('F'),
                        'validated' => context.dependency_result('validate')['valid'],
                        'prefix' => context.step_inputs['prefix'] })
    end
  end
end

# The design note's integration spec (FFI Bridge Integration), on a real worker and database.
class FfiBridgeIntegrationTest < Minitest::Test
  include TaskerTest::Integration

  NAMESPACE = 'ruby_ffi_it'

  TEMPLATE = <<~YAML
    namespace: #{NAMESPACE}
    name: order
    version: 1.0.0
    identity_strategy: always_unique
    steps:
      - name: validate
        handler: {callable: FfiIt::Validate}
      - name: price
        handler: {callable: FfiIt::Price}
        depends_on: [validate]
      - name: confirm
        handler:
          callable: FfiIt::Confirm
          initialization: {prefix: ORD}
        depends_on: [price]
  YAML

  def setup
    register_template(TEMPLATE)
    @subscriptions = []
  end

  def teardown
    @subscriptions.each(&:unsubscribe)
    stop_worker
  end

  def test_bootstrap_and_lifecycle
    start_worker(namespaces: [NAMESPACE], worker_id: 'test-worker-001', event_driven_enabled: true,
                 deployment_mode: 'Hybrid')

    assert bootstrap.running?
    status = bootstrap.status
    assert_equal true, status[:running]
    assert_equal 'test', status[:environment]
    assert_equal 'running', status[:worker_core_status]
    assert_equal false, status[:web_api_enabled]
    assert_equal [NAMESPACE], status[:supported_namespaces]
    assert_operator status[:database_pool_size], :>, 0
    assert_kind_of Integer, status[:database_pool_idle]
    assert_equal true, status[:event_bridge_active]
    assert_equal true, status[:subscriber_active]
    assert_equal :running, status[:status]
    assert_operator status[:handler_registry_size], :>=, 3

    bootstrap.shutdown!

    refute bootstrap.running?
    assert_equal({ running: false, error: 'Worker system not initialized' }, TaskerCore::FFI.worker_status)
    assert_equal :stopped, bootstrap.status[:status]
  end

  def test_step_execution_events_flow_from_java_to_ruby_and_the_task_completes
    events_received = Queue.new
    @subscriptions << TaskerCore::Worker::EventBridge.instance.subscribe_to_step_execution do |event|
      events_received << event
    end
    start_worker(namespaces: [NAMESPACE])

    # JSON decimals reach Ruby as BigDecimal, so 2 x 19.99 + 5 is exactly 44.98.
    order = { 'items' => [{ 'price' => 19.99, 'quantity' => 2 }, { 'price' => 5, 'quantity' => 1 }] }
    task_id = create_task(NAMESPACE, 'order', { 'order' => order })
    task = await_task(task_id)

    assert_equal 'complete', task['state'], task.inspect
    assert_equal({ 'valid' => true, 'count' => 2 }, step(task, 'validate')['results'])
    assert_equal 2**100 + 2, step(task, 'price')['results']['big']
    assert_equal({ 'confirmed' => '44.98', 'validated' => true, 'prefix' => 'ORD' }, step(task, 'confirm')['results'])

    assert_equal 3, events_received.size
    event = events_received.pop
    assert_match(/\A\h{8}-\h{4}-\h{4}-\h{4}-\h{12}\z/, event[:event_id])
    assert_equal task_id, event[:task_uuid]
    assert_kind_of TaskerCore::TaskSequenceStepWrapper, event[:task_sequence_step]
    assert_equal 'validate', event[:task_sequence_step].step_name
    assert_equal 1, event[:task_sequence_step].attempts
  end

  def test_completion_events_go_from_ruby_to_java
    start_worker(namespaces: [NAMESPACE])
    sent = []
    @subscriptions << TaskerCore::Worker::EventBridge.instance.subscribe('step.completion.sent') { |c| sent << c }

    completion_data = {
      event_id: SecureRandom.uuid,
      task_uuid: SecureRandom.uuid,
      step_uuid: SecureRandom.uuid,
      success: true,
      result: { 'value' => 42 },
      metadata: { 'handler' => 'test' }
    }
    TaskerCore::Worker::EventBridge.instance.publish_step_completion(completion_data)

    assert_equal [completion_data], sent
    # Nothing waited for this invented event: the foundation counts it and drops it.
    assert_equal false, TaskerCore::FFI.send_step_completion_event(completion_data)
  end

  def test_a_second_bootstrap_while_running_raises_already_running
    start_worker(namespaces: [NAMESPACE])

    error = assert_raises(RuntimeError) { TaskerCore::FFI.bootstrap_worker({ worker_id: 'duplicate' }) }

    assert_match(/already running/, error.message)
    assert bootstrap.running?
  end

  def test_an_invalid_completion_raises_argument_error
    start_worker(namespaces: [NAMESPACE])

    error = assert_raises(ArgumentError) { TaskerCore::Worker::EventBridge.instance.publish_step_completion({}) }

    assert_match(/Missing required fields/, error.message)
    error = assert_raises(ArgumentError) { TaskerCore::FFI.send_step_completion_event({ success: true }) }
    assert_equal 'Missing required fields in completion: event_id, task_uuid, step_uuid', error.message
  end

  def test_a_handler_failure_is_recorded_on_the_step
    start_worker(namespaces: [NAMESPACE])

    task = await_task(create_task(NAMESPACE, 'order', { 'order' => { 'items' => [] } }))

    assert_equal 'error', task['state']
    validate = step(task, 'validate')
    assert_equal 'error', validate['state']
    assert_equal 'order has no items', validate.dig('lastError', 'message')
    assert_equal 'PermanentError', validate.dig('lastError', 'error_type')
    assert_equal 'TaskerCore::Errors::PermanentError', validate.dig('lastError', 'details', 'exception_class')
  end
end
