# frozen_string_literal: true

require 'test_helper'

module BadResultsIt
  class Raises < TaskerCore::StepHandler::Base
    def call(_context)
      charge_card
    end

    def charge_card
      raise ArgumentError, 'card number missing'
    end
  end

  class ReturnsObject < TaskerCore::StepHandler::Base
    def call(_context) = { 'when' => Object.new }
  end

  class ReturnsNan < TaskerCore::StepHandler::Base
    def call(_context) = { 'ratio' => 0.0 / 0 }
  end

  class ReturnsClashingKeys < TaskerCore::StepHandler::Base
    def call(_context) = { status: 'done', 'status' => 'pending' }
  end

  class ReturnsDeepNesting < TaskerCore::StepHandler::Base
    def call(_context)
      value = 'leaf'
      100.times { value = { 'next' => value } }
      value
    end
  end

  class Hangs < TaskerCore::StepHandler::Base
    def call(_context)
      sleep 30
      {}
    end
  end
end

# Whatever a Ruby handler does wrong, its step is recorded as failed with a message that says
# what and where; nothing is lost and the worker keeps going.
class BadResultsTest < Minitest::Test
  include TaskerTest::Integration

  NAMESPACE = 'ruby_bad_results_it'
  HANDLERS = {
    'raises' => 'Raises', 'object' => 'ReturnsObject', 'nan' => 'ReturnsNan', 'clashing_keys' => 'ReturnsClashingKeys',
    'deep' => 'ReturnsDeepNesting', 'hangs' => 'Hangs'
  }.freeze

  extend TaskerTest::Integration

  # One task with every kind of bad step, run once for all the tests below.
  def self.task
    @task ||= begin
      steps = HANDLERS.map do |name, klass|
        timeout = name == 'hangs' ? "\n    timeout_seconds: 1" : ''
        "  - name: #{name}\n    handler: {callable: BadResultsIt::#{klass}}\n    retry: {retryable: false}#{timeout}"
      end
      register_template("namespace: #{NAMESPACE}\nname: bad\nversion: 1.0.0\nidentity_strategy: always_unique\nsteps:\n#{steps.join("\n")}\n")
      start_worker(namespaces: [NAMESPACE])
      await_task(create_task(NAMESPACE, 'bad'))
    ensure
      stop_worker
    end
  end

  def setup
    @task = self.class.task
  end

  def error_of(name)
    s = step(@task, name)
    assert_equal 'error', s['state'], s.inspect
    s.fetch('lastError')
  end

  def test_the_task_ends_in_error_with_every_step_failed
    assert_equal 'error', @task['state']
    assert_equal HANDLERS.keys.sort, @task['steps'].select { |s| s['state'] == 'error' }.map { |s| s['name'] }.sort
  end

  def test_an_exception_records_class_message_and_backtrace_head
    error = error_of('raises')

    assert_equal 'ArgumentError: card number missing', error['message']
    assert_equal 'ArgumentError', error['error_type']
    assert_equal 'ArgumentError', error.dig('details', 'exception_class')
    assert_equal 'card number missing', error.dig('details', 'message')
    backtrace = error.dig('details', 'backtrace')
    assert_match(/bad_results_test\.rb:\d+:in .*charge_card/, backtrace.first)
    assert_operator backtrace.size, :<=, 10
  end

  def test_an_object_that_is_not_json
    assert_equal "the handler's completion is not JSON: result.when: a Object is not a JSON value",
                 error_of('object')['message']
    assert_equal 'InvalidResult', error_of('object')['error_type']
  end

  def test_nan
    assert_equal "the handler's completion is not JSON: result.ratio: Float NaN is not a JSON number",
                 error_of('nan')['message']
  end

  # Symbol keys are Strings in JSON, so :status and 'status' are one key twice.
  def test_a_symbol_key_and_a_string_key_for_one_field
    assert_equal "the handler's completion is not JSON: result: keys :status and \"status\" name the same field; " \
                 'keep one', error_of('clashing_keys')['message']
    assert_equal 'result', error_of('clashing_keys').dig('details', 'path')
  end

  def test_deep_nesting
    message = error_of('deep')['message']

    assert_match(/\Athe handler's completion is not JSON: result(\.next){64}: nested deeper than 64 levels/, message)
  end

  def test_a_handler_past_its_timeout
    error = error_of('hangs')

    assert_match(/timed out after 1 s|did not finish step hangs within 1s/, error['message'])
    assert_includes %w[Timeout StepTimeout], error['error_type']
  end
end
