# frozen_string_literal: true

require 'test_helper'

class TaskSequenceStepWrapperTest < Minitest::Test
  def setup
    @data = TaskerTest::StepEvents.task_sequence_step(
      callable: 'Billing::Charge', step_name: 'charge', namespace: 'billing',
      context: { 'order' => { 'id' => 7 } }, inputs: { 'currency' => 'EUR' },
      dependency_results: { 'validate' => { 'ok' => true }, 'price' => 42 },
      attempt: 2, max_attempts: 3, timeout_seconds: 15
    )
    @step = TaskerCore::TaskSequenceStepWrapper.new(@data)
  end

  def test_exposes_the_step_and_its_task
    assert_equal @data[:task_uuid], @step.task_uuid
    assert_equal @data[:step_uuid], @step.step_uuid
    assert_equal 'billing', @step.namespace
    assert_equal 'test_task', @step.task_name
    assert_equal '1.0.0', @step.task_version
    assert_equal 'charge', @step.step_name
    assert_equal 'Billing::Charge', @step.callable
    assert_equal 15, @step.timeout_seconds
    assert_equal %w[validate price], @step.depends_on
  end

  def test_user_data_keeps_string_keys
    assert_equal 7, @step.task_context.dig('order', 'id')
    assert_equal({ 'currency' => 'EUR' }, @step.step_inputs)
  end

  def test_dependency_results_by_string_or_symbol_name
    assert_equal({ 'ok' => true }, @step.dependency_result('validate'))
    assert_equal 42, @step.dependency_result(:price)
    assert_nil @step.dependency_result('missing')
    assert_equal 2, @step.dependency_results.size
  end

  def test_attempts_count_from_one
    assert_equal 2, @step.attempts
    assert_equal 3, @step.max_attempts
    refute @step.first_attempt?
    refute @step.last_attempt?
    first = TaskerCore::TaskSequenceStepWrapper.new(@data.merge(attempt: 1))
    assert first.first_attempt?
    assert TaskerCore::TaskSequenceStepWrapper.new(@data.merge(attempt: 3)).last_attempt?
  end

  def test_missing_optional_parts_have_empty_defaults
    bare = TaskerCore::TaskSequenceStepWrapper.new(task_uuid: 't', step_uuid: 's')
    assert_equal({}, bare.task_context)
    assert_equal({}, bare.step_inputs)
    assert_equal({}, bare.dependency_results)
    assert_equal [], bare.depends_on
    assert_equal 1, bare.attempts
  end

  def test_refuses_what_is_not_a_hash
    assert_raises(ArgumentError) { TaskerCore::TaskSequenceStepWrapper.new(nil) }
  end

  def test_inspect_is_short_and_useful
    assert_equal '#<TaskerCore::TaskSequenceStepWrapper billing/test_task step=charge attempt=2/3>', @step.inspect
  end
end
