# frozen_string_literal: true

require 'test_helper'

class EventBridgeTest < Minitest::Test
  def setup
    @bridge = TaskerCore::Worker::EventBridge.instance
    @bridge.start!
    @subscriptions = []
    @sent = []
  end

  def teardown
    @subscriptions.each(&:unsubscribe)
    @bridge.start!
  end

  def listen(event, &block)
    @subscriptions << @bridge.subscribe(event, &block)
  end

  def completion(**overrides)
    { event_id: SecureRandom.uuid, task_uuid: SecureRandom.uuid, step_uuid: SecureRandom.uuid, success: true,
      result: { 'value' => 42 } }.merge(overrides)
  end

  def capturing_ffi(&block)
    TaskerCore::FFI.stub(:send_step_completion_event, ->(hash) { @sent << hash }, &block)
  end

  def test_it_is_one_instance
    assert_same @bridge, TaskerCore::Worker::EventBridge.instance
    assert_equal %w[step.execution.received step.completion.sent bridge.error], @bridge.registered_events
  end

  def test_publish_step_execution_wraps_the_step_for_subscribers
    received = []
    @subscriptions << @bridge.subscribe_to_step_execution { |event| received << event }
    event = TaskerTest::StepEvents.execution_event(callable: 'X', context: { 'a' => 1 })

    @bridge.publish_step_execution(event)

    assert_equal 1, received.size
    assert_equal event[:event_id], received.first[:event_id]
    assert_equal event[:task_uuid], received.first[:task_uuid]
    assert_instance_of TaskerCore::TaskSequenceStepWrapper, received.first[:task_sequence_step]
    assert_equal({ 'a' => 1 }, received.first[:task_sequence_step].task_context)
  end

  def test_a_stopped_bridge_takes_no_step_executions
    received = []
    @subscriptions << @bridge.subscribe_to_step_execution { |event| received << event }
    @bridge.stop!

    assert_nil @bridge.publish_step_execution(TaskerTest::StepEvents.execution_event(callable: 'X'))
    refute @bridge.active?
    assert_empty received
  end

  def test_a_subscriber_error_is_reported_as_bridge_error_and_raised
    errors = []
    listen('bridge.error') { |e| errors << e }
    @subscriptions << @bridge.subscribe_to_step_execution { raise 'handler layer broke' }
    event = TaskerTest::StepEvents.execution_event(callable: 'X')

    error = assert_raises(RuntimeError) { @bridge.publish_step_execution(event) }

    assert_equal 'handler layer broke', error.message
    assert_equal 1, errors.size
    assert_equal :publish_step_execution, errors.first[:operation]
    assert_equal event[:event_id], errors.first[:event_id]
  end

  def test_publish_step_completion_sends_through_ffi_then_notifies
    notified = []
    listen('step.completion.sent') { |c| notified << c }
    data = completion

    capturing_ffi { @bridge.publish_step_completion(data) }

    assert_equal [data], @sent
    assert_equal [data], notified
    assert_equal({}, data[:metadata])
    assert Time.iso8601(data[:completed_at])
  end

  def test_completions_still_go_through_after_stop
    @bridge.stop!

    capturing_ffi { @bridge.publish_step_completion(completion) }

    assert_equal 1, @sent.size
  end

  def test_missing_required_fields_raise_argument_error
    error = assert_raises(ArgumentError) { @bridge.publish_step_completion({}) }
    assert_equal 'Missing required fields in completion: event_id, task_uuid, step_uuid, success', error.message

    error = assert_raises(ArgumentError) { @bridge.publish_step_completion(completion.except(:success)) }
    assert_match(/Missing required fields in completion: success/, error.message)
    assert_raises(ArgumentError) { @bridge.publish_step_completion('done') }
  end

  def test_an_ffi_failure_is_reported_and_raised
    errors = []
    listen('bridge.error') { |e| errors << e }

    TaskerCore::FFI.stub(:send_step_completion_event, ->(_) { raise 'foundation gone' }) do
      assert_raises(RuntimeError) { @bridge.publish_step_completion(completion) }
    end

    assert_equal :send_step_completion_event, errors.first[:operation]
    assert_equal 'foundation gone', errors.first[:error].message
  end

  def test_a_failing_completion_listener_does_not_undo_the_completion
    errors = []
    listen('bridge.error') { |e| errors << e }
    listen('step.completion.sent') { raise 'monitoring broke' }

    capturing_ffi { @bridge.publish_step_completion(completion) }

    assert_equal 1, @sent.size
    assert_equal :step_completion_sent_listener, errors.first[:operation]
  end
end
