# frozen_string_literal: true

require 'test_helper'

module NeverLostIt
  class Works < TaskerCore::StepHandler::Base
    def call(_context) = { 'ok' => true }
  end
end

# If the Ruby layer cannot answer a step, the Java bridge answers for it: the step fails with a
# message saying why, instead of waiting forever.
class NeverLostTest < Minitest::Test
  include TaskerTest::Integration

  NAMESPACE = 'ruby_never_lost_it'

  def setup
    register_template(<<~YAML)
      namespace: #{NAMESPACE}
      name: one
      version: 1.0.0
      identity_strategy: always_unique
      steps:
        - name: only
          handler: {callable: NeverLostIt::Works}
          retry: {retryable: false}
    YAML
    @subscriptions = []
    start_worker(namespaces: [NAMESPACE])
  end

  def teardown
    @subscriptions.each(&:unsubscribe)
    bootstrap.instance_variable_get(:@step_subscriber)&.start!
    stop_worker
  end

  def run_task
    task = await_task(create_task(NAMESPACE, 'one'))
    assert_equal 'error', task['state'], task.inspect
    step(task, 'only').fetch('lastError')
  end

  def step_subscriber
    bootstrap.instance_variable_get(:@step_subscriber)
  end

  def test_a_stopped_event_bridge
    TaskerCore::Worker::EventBridge.instance.stop!

    error = run_task

    assert_equal 'the Ruby EventBridge is stopped; the step was not run', error['message']
    assert_equal 'BridgeStopped', error['error_type']
  end

  def test_no_subscriber_sends_a_completion
    step_subscriber.stop!

    error = run_task

    assert_match(/returned without sending a completion/, error['message'])
    assert_equal 'NoCompletion', error['error_type']
  end

  def test_a_listener_that_raises_before_any_completion
    step_subscriber.stop!
    @subscriptions << TaskerCore::Worker::EventBridge.instance.subscribe_to_step_execution do
      raise KeyError, 'listener broke'
    end

    error = run_task

    assert_equal 'Ruby raised while running the step: KeyError: listener broke', error['message']
    assert_equal 'KeyError', error['error_type']
    assert_equal 'KeyError', error.dig('details', 'exception_class')
    assert_match(/never_lost_test\.rb/, error.dig('details', 'backtrace').first)
  end

  def test_a_listener_that_raises_after_the_completion_changes_nothing
    @subscriptions << TaskerCore::Worker::EventBridge.instance.subscribe_to_step_execution do
      raise KeyError, 'late listener broke'
    end

    task = await_task(create_task(NAMESPACE, 'one'))

    assert_equal 'complete', task['state']
    assert_equal({ 'ok' => true }, step(task, 'only')['results'])
  end
end
