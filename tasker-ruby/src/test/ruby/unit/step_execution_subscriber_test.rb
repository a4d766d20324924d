# frozen_string_literal: true

require 'test_helper'

module SubscriberTestHandlers
  class Doubles < TaskerCore::StepHandler::Base
    def call(context)
      success(result: { 'doubled' => context.task_context['n'] * 2 }, metadata: { 'note' => 'hi' })
    end
  end

  class ReturnsHash < TaskerCore::StepHandler::Base
    def call(context)
      { 'from' => context.dependency_result('previous') }
    end
  end

  class Declines < TaskerCore::StepHandler::Base
    def call(_context)
      failure(message: 'card declined', error_type: 'PaymentError', retryable: true, retry_after: 7)
    end
  end

  class RaisesPermanent < TaskerCore::StepHandler::Base
    def call(_context)
      raise TaskerCore::Errors::PermanentError, 'order is gone'
    end
  end

  class RaisesRetryable < TaskerCore::StepHandler::Base
    def call(_context)
      raise TaskerCore::Errors::RetryableError.new('try later', retry_after: 2)
    end
  end

  class RaisesPlain < TaskerCore::StepHandler::Base
    def call(_context)
      Integer('not a number')
    rescue ArgumentError
      raise KeyError, 'wrapped'
    end
  end

  class Unimplemented < TaskerCore::StepHandler::Base
  end

  class Cancelled < TaskerCore::StepHandler::Base
    def call(_context)
      raise TaskerCore::Errors::StepCancelledError, 'cancelled by the worker'
    end
  end

  class Counts < TaskerCore::StepHandler::Base
    @instances = Queue.new
    class << self
      attr_reader :instances
    end

    def call(_context)
      self.class.instances << object_id
      {}
    end
  end
end

class StepExecutionSubscriberTest < Minitest::Test
  # Stands in for the EventBridge: keeps completions instead of sending them to Java.
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

  def run_step(handler, **options)
    event = TaskerTest::StepEvents.wrapped_event(callable: handler.name, **options)
    @subscriber.call(event)
    completion = @bridge.completions.last
    assert_equal event[:event_id], completion[:event_id]
    assert_equal event[:task_uuid], completion[:task_uuid]
    assert_equal event[:step_uuid], completion[:step_uuid]
    completion
  end

  def test_a_success_carries_result_and_metadata
    completion = run_step(SubscriberTestHandlers::Doubles, context: { 'n' => 21 }, attempt: 2)

    assert_equal true, completion[:success]
    assert_equal({ 'doubled' => 42 }, completion[:result])
    assert_equal 'SubscriberTestHandlers::Doubles', completion[:metadata]['handler']
    assert_equal 'hi', completion[:metadata]['note']
    assert_equal 2, completion[:metadata]['attempt']
    assert_kind_of Float, completion[:metadata]['duration_ms']
  end

  def test_a_plain_hash_is_a_successful_result
    completion = run_step(SubscriberTestHandlers::ReturnsHash, dependency_results: { 'previous' => 5 })

    assert_equal true, completion[:success]
    assert_equal({ 'from' => 5 }, completion[:result])
  end

  def test_a_failure_result_keeps_the_handlers_decisions
    completion = run_step(SubscriberTestHandlers::Declines)

    assert_equal false, completion[:success]
    assert_equal 'card declined', completion[:error_message]
    assert_equal 'PaymentError', completion[:error_type]
    assert_equal true, completion[:retryable]
    assert_equal 7, completion[:retry_after]
  end

  def test_a_permanent_error_is_not_retried
    completion = run_step(SubscriberTestHandlers::RaisesPermanent)

    assert_equal false, completion[:success]
    assert_equal false, completion[:retryable]
    assert_equal 'PermanentError', completion[:error_type]
    assert_equal 'order is gone', completion[:error_message]
  end

  def test_a_retryable_error_carries_retry_after
    completion = run_step(SubscriberTestHandlers::RaisesRetryable)

    assert_equal true, completion[:retryable]
    assert_equal 2, completion[:retry_after]
  end

  def test_any_other_exception_is_retryable_with_class_message_backtrace_and_cause
    completion = run_step(SubscriberTestHandlers::RaisesPlain)
    details = completion[:error_details]

    assert_equal true, completion[:retryable]
    assert_equal 'KeyError', completion[:error_type]
    assert_equal 'KeyError: wrapped', completion[:error_message]
    assert_equal 'KeyError', details['exception_class']
    assert_equal 'wrapped', details['message']
    assert_match(/step_execution_subscriber_test\.rb:\d+/, details['backtrace'].first)
    assert_operator details['backtrace'].size, :<=, TaskerCore::Worker::StepExecutionSubscriber::BACKTRACE_LINES
    assert_equal 'ArgumentError', details.dig('cause', 'exception_class')
  end

  def test_even_non_standard_errors_fail_the_step
    completion = run_step(SubscriberTestHandlers::Unimplemented)

    assert_equal false, completion[:success]
    assert_equal 'NotImplementedError', completion[:error_type]
  end

  def test_a_cancellation_fails_the_step_retryably
    completion = run_step(SubscriberTestHandlers::Cancelled)

    assert_equal false, completion[:success]
    assert_equal 'Cancelled', completion[:error_type]
    assert_equal true, completion[:retryable]
  end

  def test_an_unknown_callable_fails_permanently
    event = TaskerTest::StepEvents.wrapped_event(callable: 'Nobody::Here')
    @subscriber.call(event)
    completion = @bridge.completions.last

    assert_equal false, completion[:success]
    assert_equal 'HandlerNotFound', completion[:error_type]
    assert_equal false, completion[:retryable]
    assert_match(/no Ruby handler is registered for callable "Nobody::Here"/, completion[:error_message])
  end

  def test_every_step_gets_a_new_handler_instance
    3.times { run_step(SubscriberTestHandlers::Counts) }
    ids = []
    ids << SubscriberTestHandlers::Counts.instances.pop until SubscriberTestHandlers::Counts.instances.empty?

    assert_equal 3, ids.uniq.size
  end

  def test_start_and_stop_subscribe_to_the_event_bridge
    bridge = TaskerCore::Worker::EventBridge.instance
    subscriber = TaskerCore::Worker::StepExecutionSubscriber.new
    before = bridge.subscriptions('step.execution.received').size

    subscriber.start!
    subscriber.start!
    assert subscriber.active?
    assert_equal before + 1, bridge.subscriptions('step.execution.received').size

    subscriber.stop!
    refute subscriber.active?
    assert_equal before, bridge.subscriptions('step.execution.received').size
  end
end
