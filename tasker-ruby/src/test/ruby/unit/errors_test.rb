# frozen_string_literal: true

require 'test_helper'

# The error classes keep tasker-core's names, keyword arguments, hierarchy and retry rule.
class ErrorsTest < Minitest::Test
  E = TaskerCore::Errors

  def test_a_permanent_error_keeps_its_message_code_and_context
    error = E::PermanentError.new('Customer ID is required', error_code: 'MISSING_CUSTOMER_ID',
                                                             context: { field: 'customer_id' })

    assert_equal 'Customer ID is required', error.message
    assert_equal 'MISSING_CUSTOMER_ID', error.error_code
    assert_equal({ field: 'customer_id' }, error.context)
    assert_equal 'PermanentError', error.error_type
    assert_equal 'PermanentError', error.error_class
  end

  def test_a_retryable_error_keeps_retry_after_and_context
    error = E::RetryableError.new('gateway busy', retry_after: 30, context: { 'error_code' => 'BUSY' })

    assert_equal 'gateway busy', error.message
    assert_equal 30, error.retry_after
    assert_equal 'BUSY', error.error_code
  end

  def test_each_class_takes_tasker_cores_keywords
    assert_equal 'amount', E::ValidationError.new('bad', field: 'amount', error_code: 'V', context: {}).field
    assert_equal 'V', E::ValidationError.new('bad', field: 'amount', error_code: 'V').error_code
    assert_equal 'order', E::NotFoundError.new('gone', resource_type: 'order', error_code: 'NF').resource_type
    assert_equal 5, E::TimeoutError.new('slow', timeout_duration: 5).timeout_duration
    assert_equal 503, E::NetworkError.new('down', status_code: 503).status_code
    assert_equal 'poll', E::FFIError.new('bridge', operation: 'poll').operation
    assert_equal 'start', E::ServerError.new('server', operation: 'start', context: { port: 1 }).operation
    %i[ConfigurationError ProceduralError OrchestrationError DatabaseError].each do |name|
      error = E.const_get(name).new('text', context: { a: 1 })
      assert_equal ['text', name.to_s, { a: 1 }], [error.message, error.error_type, error.context]
    end
  end

  def test_a_keyword_the_class_does_not_take_is_refused_as_ruby_refuses_it
    error = assert_raises(ArgumentError) { TaskerCore::Errors::NetworkError.new('down', error_code: 'X', field: 'a') }

    assert_equal 'unknown keywords: :error_code, :field', error.message
    assert_raises(ArgumentError) { TaskerCore::Errors::RetryableError.new('busy', status_code: 503) }
  end

  def test_raise_with_a_class_and_message_still_works
    error = assert_raises(E::PermanentError) { raise E::PermanentError, 'plain' }

    assert_equal 'plain', error.message
    assert_equal({}, error.context)
    assert_nil error.error_code
  end

  def test_the_hierarchy_is_tasker_cores
    assert_operator E::Error, :<, StandardError
    assert_operator E::ProceduralError, :<, E::Error
    [E::RetryableError, E::PermanentError, E::TimeoutError, E::NetworkError].each do |klass|
      assert_operator klass, :<, E::ProceduralError
    end
    assert_operator E::ValidationError, :<, E::PermanentError
    assert_operator E::NotFoundError, :<, E::PermanentError
    [E::ConfigurationError, E::OrchestrationError, E::DatabaseError, E::FFIError, E::ServerError].each do |klass|
      assert_equal E::Error, klass.superclass
    end
    refute_operator E::StepCancelledError, :<, StandardError
  end

  def test_which_errors_are_retried
    permanent = [E::PermanentError.new('x'), E::ValidationError.new('x'), E::NotFoundError.new('x'),
                 E::ConfigurationError.new('x'), E::DatabaseError.new('x'), E::FFIError.new('x')]
    retried = [E::RetryableError.new('x'), E::NetworkError.new('x'), E::TimeoutError.new('x'),
               E::OrchestrationError.new('x'), E::ServerError.new('x'), E::ProceduralError.new('x'),
               E::Error.new('x'), ArgumentError.new('x'), E::StepCancelledError.new('x')]

    permanent.each { |error| refute E::ErrorClassifier.retryable?(error), error.class.name }
    retried.each { |error| assert E::ErrorClassifier.retryable?(error), error.class.name }
  end

  def test_details_name_what_each_class_adds
    assert_equal({ 'error_code' => 'V', 'context' => { n: 1 }, 'field' => 'amount' },
                 E::ValidationError.new('bad', field: 'amount', error_code: 'V', context: { n: 1 }).details)
    assert_equal({ 'status_code' => 503 }, E::NetworkError.new('down', status_code: 503).details)
    assert_equal({ 'error_code' => 'SYM' }, E::RetryableError.new('x', context: { error_code: 'SYM' }).details
                                                               .slice('error_code'))
  end
end
