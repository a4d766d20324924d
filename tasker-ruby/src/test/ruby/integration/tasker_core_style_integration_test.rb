# frozen_string_literal: true

require 'test_helper'

module TaskerCoreStyleIt
  # Current generation: call(context).
  class Seed < TaskerCore::StepHandler::Base
    def call(context)
      success(result: { value: context.get_input(:start) * 2, tag: :seeded }, metadata: { generation: :current })
    end
  end

  # 2025 generation: call(task, sequence, step).
  class Square < TaskerCore::StepHandler::Base
    def call(task, sequence, step)
      seed = sequence.get_results('seed')
      TaskerCore::Types::StepHandlerCallResult.success(
        result: { value: seed[:value]**2, by: step.name, namespace: task.namespace, order: task.context[:order][:id] }
      )
    end
  end

  class Report < TaskerCore::StepHandler::Base
    def call(context)
      {
        squared: context.get_dependency_field('square', :value),
        tag: context.get_dependency_result(:seed)[:tag],
        currency: context.get_config(:currency)
      }
    end
  end

  # Fails its first attempt, asking for a retry in a second.
  class Flaky < TaskerCore::StepHandler::Base
    def call(context)
      unless context.is_retry?
        raise TaskerCore::Errors::RetryableError.new('warming up', retry_after: 1, context: { error_code: 'WARMING_UP' })
      end

      success(result: { attempts: context.attempts, retry_count: context.retry_count })
    end
  end

  class Refuses < TaskerCore::StepHandler::Base
    def call(task, _sequence, _step)
      raise TaskerCore::Errors::PermanentError.new(
        'Customer ID is required',
        error_code: 'MISSING_CUSTOMER_ID',
        context: { field: :customer_id, provided: task.context.keys }
      )
    end
  end
end

# Handlers written for tasker-core's Ruby worker, both generations, on a real worker and database:
# results with Symbols stored as JSON, dependency results read both ways, a retry after the
# handler's retry_after, and a permanent error recorded with its code and context.
class TaskerCoreStyleIntegrationTest < Minitest::Test
  include TaskerTest::Integration
  extend TaskerTest::Integration

  NAMESPACE = 'ruby_tasker_core_style_it'

  TEMPLATES = [<<~YAML, <<~YAML].freeze
    namespace: #{NAMESPACE}
    name: pipeline
    version: 1.0.0
    identity_strategy: always_unique
    steps:
      - name: seed
        handler: {callable: TaskerCoreStyleIt::Seed}
      - name: square
        handler: {callable: TaskerCoreStyleIt::Square}
        depends_on: [seed]
      - name: report
        handler:
          callable: TaskerCoreStyleIt::Report
          initialization: {currency: EUR}
        depends_on: [square]
      - name: flaky
        handler: {callable: TaskerCoreStyleIt::Flaky}
        retry: {retryable: true, max_attempts: 3, backoff_base_ms: 50, max_backoff_ms: 5000}
        depends_on: [seed]
  YAML
    namespace: #{NAMESPACE}
    name: refusal
    version: 1.0.0
    identity_strategy: always_unique
    steps:
      - name: refuses
        handler: {callable: TaskerCoreStyleIt::Refuses}
        retry: {retryable: true, max_attempts: 3, backoff_base_ms: 50}
  YAML

  # Both tasks, run once for all the tests below; elapsed is the pipeline's wall time.
  def self.tasks
    @tasks ||= with_worker(NAMESPACE, *TEMPLATES) do
      started = Process.clock_gettime(Process::CLOCK_MONOTONIC)
      pipeline = await_task(create_task(NAMESPACE, 'pipeline', { 'start' => 4, 'order' => { 'id' => 77 } }),
                            retries: true)
      elapsed = Process.clock_gettime(Process::CLOCK_MONOTONIC) - started
      refusal = await_task(create_task(NAMESPACE, 'refusal', { 'order' => {} }), retries: true)
      { pipeline: pipeline, elapsed: elapsed, refusal: refusal }
    end
  end

  def setup
    @tasks = self.class.tasks
  end

  def test_the_pipeline_completes
    assert_equal 'complete', @tasks[:pipeline]['state'], @tasks[:pipeline].inspect
  end

  def test_symbol_keys_and_values_are_stored_as_strings
    assert_equal({ 'value' => 8, 'tag' => 'seeded' }, step(@tasks[:pipeline], 'seed')['results'])
  end

  def test_a_three_argument_handler_reads_the_sequence_task_and_step
    assert_equal({ 'value' => 64, 'by' => 'square', 'namespace' => NAMESPACE, 'order' => 77 },
                 step(@tasks[:pipeline], 'square')['results'])
  end

  def test_a_context_handler_reads_dependencies_and_config
    assert_equal({ 'squared' => 64, 'tag' => 'seeded', 'currency' => 'EUR' }, step(@tasks[:pipeline], 'report')['results'])
  end

  def test_a_retryable_error_is_retried_after_its_retry_after
    flaky = step(@tasks[:pipeline], 'flaky')

    assert_equal 2, flaky['attempts']
    assert_equal({ 'attempts' => 2, 'retry_count' => 1 }, flaky['results'])
    assert_operator @tasks[:elapsed], :>=, 1.0, 'the retry waited for retry_after, not the 50 ms backoff'
  end

  def test_a_permanent_error_is_recorded_with_its_code_and_context_and_not_retried
    refuses = step(@tasks[:refusal], 'refuses')
    error = refuses.fetch('lastError')

    assert_equal 'error', @tasks[:refusal]['state']
    assert_equal ['error', 1], refuses.values_at('state', 'attempts')
    assert_equal 'Customer ID is required', error['message']
    assert_equal 'PermanentError', error['error_type']
    assert_equal 'MISSING_CUSTOMER_ID', error.dig('details', 'error_code')
    assert_equal({ 'field' => 'customer_id', 'provided' => ['order'] }, error.dig('details', 'context'))
  end
end
