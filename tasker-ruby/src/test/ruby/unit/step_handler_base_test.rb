# frozen_string_literal: true

require 'test_helper'

module BaseTestHandlers
  class Plain < TaskerCore::StepHandler::Base
    def call(_context)
      success(result: { 'ok' => true })
    end
  end

  class Named < TaskerCore::StepHandler::Base
    callable 'named_handler'
    namespace 'billing'
    serial!
  end

  class NamedChild < Named
  end
end

class StepHandlerBaseTest < Minitest::Test
  Base = TaskerCore::StepHandler::Base

  def test_callable_defaults_to_the_class_name
    assert_equal 'BaseTestHandlers::Plain', BaseTestHandlers::Plain.callable
    assert_equal 'named_handler', BaseTestHandlers::Named.callable
  end

  def test_namespace_and_serial_are_inherited
    assert_nil BaseTestHandlers::Plain.namespace
    assert_equal 'billing', BaseTestHandlers::NamedChild.namespace
    refute BaseTestHandlers::Plain.serial?
    assert BaseTestHandlers::Named.serial?
    assert BaseTestHandlers::NamedChild.serial?
  end

  def test_each_serial_class_has_its_own_lock
    assert_instance_of Thread::Mutex, BaseTestHandlers::Named.serial_lock
    assert_same BaseTestHandlers::Named.serial_lock, BaseTestHandlers::Named.serial_lock
    refute_same BaseTestHandlers::Named.serial_lock, BaseTestHandlers::NamedChild.serial_lock
  end

  def test_success_and_failure_build_results
    handler = BaseTestHandlers::Plain.new
    ok = handler.success(result: { 'a' => 1 }, metadata: { 'm' => 2 })
    assert ok.success?
    assert_equal({ 'a' => 1 }, ok.result)
    assert_equal({ 'm' => 2 }, ok.metadata)

    failed = handler.failure(message: 'card declined', error_type: 'PaymentError', retryable: true, retry_after: 5)
    refute failed.success?
    assert_equal 'card declined', failed.error_message
    assert_equal 'PaymentError', failed.error_type
    assert failed.retryable
    assert_equal 5, failed.retry_after
  end

  def test_failure_defaults_as_tasker_core_does
    failed = BaseTestHandlers::Plain.new.failure(message: 'x')

    assert_equal 'UnexpectedError', failed.error_type
    assert_equal false, failed.retryable
    assert_raises(ArgumentError) { BaseTestHandlers::Plain.new.failure(error_type: 'X') }
  end

  def test_call_must_be_implemented
    error = assert_raises(NotImplementedError) { BaseTestHandlers::Named.new.call(nil) }
    assert_equal 'BaseTestHandlers::Named must implement call(context)', error.message
  end

  def test_handler_classes_finds_named_subclasses_at_any_depth
    anonymous = Class.new(Base)
    classes = Base.handler_classes
    assert_includes classes, BaseTestHandlers::Plain
    assert_includes classes, BaseTestHandlers::NamedChild
    refute_includes classes, anonymous
  end

  def test_errors_carry_what_the_completion_needs
    retryable = TaskerCore::Errors::RetryableError.new('later', retry_after: 3)
    assert_equal 3, retryable.retry_after
    assert_equal 'RetryableError', retryable.error_type
    assert_equal 'PermanentError', TaskerCore::Errors::PermanentError.new('no').error_type
    assert_equal 'Cancelled', TaskerCore::Errors::StepCancelledError.new('gone').error_type
    assert_kind_of TaskerCore::Errors::Error, TaskerCore::Errors::PermanentError.new
    refute_kind_of StandardError, TaskerCore::Errors::StepCancelledError.new
  end
end
