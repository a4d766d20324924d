# frozen_string_literal: true

require 'test_helper'

module MixinsTestHandlers
  class Fetches < TaskerCore::StepHandler::Api
    def call(_context) = {}
  end

  class Analyzes < TaskerCore::StepHandler::Batchable
    def call(_context) = {}
  end

  class Decides < TaskerCore::StepHandler::Decision
    def call(_context) = {}
  end
end

# tasker-core's Api, Batchable and Decision helpers, small and honest: what they compute here.
class StepHandlerMixinsTest < Minitest::Test
  Response = Struct.new(:status, :reason_phrase, :headers, :body) do
    def success? = (200..299).cover?(status)
  end

  def context(**options)
    TaskerCore::TaskSequenceStepWrapper.new(TaskerTest::StepEvents.task_sequence_step(callable: 'X', **options))
  end

  def test_api_responses_raise_the_error_their_status_calls_for
    api = MixinsTestHandlers::Fetches.new
    ok = Response.new(200, 'OK', {}, 'body')

    assert_same ok, api.process_response(ok)
    permanent = assert_raises(TaskerCore::Errors::PermanentError) { api.process_response(Response.new(404, 'Not Found', {}, '')) }
    assert_equal ['HTTP 404: Not Found', 'HTTP_404'], [permanent.message, permanent.error_code]
    limited = assert_raises(TaskerCore::Errors::RetryableError) do
      api.process_response(Response.new(429, 'Too Many Requests', { 'Retry-After' => '30' }, ''))
    end
    assert_equal 30, limited.retry_after
    assert_raises(TaskerCore::Errors::RetryableError) { api.process_response(Response.new(502, 'Bad Gateway', {}, '')) }
  end

  def test_api_results_and_a_missing_faraday
    api = MixinsTestHandlers::Fetches.new(config: { url: 'http://localhost:9' })

    assert_equal({ 'data' => { 'id' => 1 }, 'status' => 201, 'headers' => {} }, api.api_success(data: { 'id' => 1 }, status: 201).result)
    failed = api.api_failure(message: 'busy', status: 503)
    assert_equal ['RetryableError', true], [failed.error_type, failed.retryable]
    assert_equal ['PermanentError', false], api.api_failure(message: 'no', status: 400).then { [_1.error_type, _1.retryable] }
    assert_includes api.capabilities, 'http_client'
    skip 'faraday is installed here' if Gem::Specification.find_all_by_name('faraday').any?

    error = assert_raises(TaskerCore::Errors::ConfigurationError) { api.connection }
    assert_match(/faraday gem, which is not installed/, error.message)
  end

  def test_batchable_helpers
    batch = MixinsTestHandlers::Analyzes.new
    configs = batch.create_cursor_configs(250, 3)

    assert_equal [[0, 84], [84, 168], [168, 250]], configs.map { |c| [c['start_cursor'], c['end_cursor']] }
    assert_equal %w[001 002 003], configs.map { |c| c['batch_id'] }
    created = batch.create_batches_outcome(worker_template_name: 'work', cursor_configs: configs, total_items: 250)
    assert_equal({ 'type' => 'create_batches', 'worker_template_name' => 'work', 'worker_count' => 3,
                   'cursor_configs' => configs, 'total_items' => 250 }, created.result['batch_processing_outcome'])
    assert_equal({ 'type' => 'no_batches' }, batch.no_batches_outcome(reason: 'empty').result['batch_processing_outcome'])
    done = batch.batch_worker_success(items_processed: 3, items_succeeded: 3, results: { 'sum' => 6 })
    assert_equal({ 'items_processed' => 3, 'items_succeeded' => 3, 'items_failed' => 0, 'items_skipped' => 0,
                   'results' => { 'sum' => 6 } }, done.result)
    assert_equal({ 'worker_count' => 0, 'scenario' => 'no_batches', 'total' => 0 },
                 batch.no_batches_aggregation_result('total' => 0).result)
  end

  def test_the_guides_batch_helpers_give_the_same_outcomes
    batch = MixinsTestHandlers::Analyzes.new
    configs = batch.generate_cursor_configs(total_items: 1000, worker_count: 3)

    assert_equal [[0, 334, 334], [334, 668, 334], [668, 1000, 332]],
                 configs.map { |c| c.values_at('start_cursor', 'end_cursor', 'batch_size') }
    one_based = batch.generate_cursor_configs(total_items: 10, worker_count: 2) do |i, from, to, size|
      { 'batch_id' => format('b%d', i), 'start_cursor' => from + 1, 'end_cursor' => to + 1, 'batch_size' => size }
    end
    assert_equal [%w[b0 1 6], %w[b1 6 11]], one_based.map { |c| c.values_at('batch_id', 'start_cursor', 'end_cursor').map(&:to_s) }
    created = batch.create_batches_success(worker_template_name: 'work', worker_count: 3, cursor_configs: configs,
                                           total_items: 1000, additional_data: { csv: 'a.csv' })
    assert_equal created.result, batch.create_batches_outcome(worker_template_name: 'work', cursor_configs: configs,
                                                              total_items: 1000, metadata: { 'csv' => 'a.csv' }).result
    error = assert_raises(ArgumentError) do
      batch.create_batches_success(worker_template_name: 'work', worker_count: 2, cursor_configs: configs, total_items: 1)
    end
    assert_equal 'cursor_configs length (3) must equal worker_count (2)', error.message
    assert_equal({ 'batch_processing_outcome' => { 'type' => 'no_batches' }, 'reason' => 'empty', 'total_rows' => 0 },
                 batch.no_batches_success(reason: 'empty', total_rows: 0).result)
  end

  def test_cursor_ranges_never_pass_the_end_and_widen_their_ids_past_999
    batch = MixinsTestHandlers::Analyzes.new

    assert_equal [[0, 2], [2, 4], [4, 5], [5, 5]],
                 batch.create_cursor_configs(5, 4).map { |c| c.values_at('start_cursor', 'end_cursor') }
    wide = batch.create_cursor_configs(5000, 1000)
    assert_equal %w[0001 1000], [wide.first['batch_id'], wide.last['batch_id']]
  end

  def test_a_placeholder_worker_succeeds_without_work
    batch = MixinsTestHandlers::Analyzes.new
    placeholder = context(step_inputs: { 'cursor' => { 'batch_id' => '001', 'start_cursor' => 0, 'end_cursor' => 0,
                                                       'batch_size' => 0 },
                                         'batch_metadata' => {}, 'is_no_op' => true })
    real = context(step_inputs: { 'cursor' => { 'batch_id' => '002', 'start_cursor' => 0, 'end_cursor' => 9 },
                                  'is_no_op' => false })

    assert_equal({ 'batch_id' => 'unknown', 'no_op' => true, 'processed_count' => 0 },
                 batch.handle_no_op_worker(batch.get_batch_context(placeholder)).result)
    assert_nil batch.handle_no_op_worker(batch.get_batch_context(real))
    assert_equal [0, 9, '002'], batch.get_batch_context(real).then { [_1.start_cursor, _1.end_cursor, _1.batch_id] }
  end

  def test_batch_context_and_aggregation_read_what_this_worker_has
    batch = MixinsTestHandlers::Analyzes.new
    step = context(dependency_results: { 'analyze' => { 'rows' => 3 }, 'batch_001' => { 'n' => 1 },
                                         'batch_002' => { 'n' => 2 } })

    error = assert_raises(ArgumentError) { batch.get_batch_context(step) }
    assert_equal 'Missing cursor configuration', error.message
    scenario = batch.detect_aggregation_scenario(step.dependency_results, 'analyze', 'batch_')
    assert scenario.with_batches?
    assert_equal [2, { 'rows' => 3 }], [scenario.worker_count, scenario.batchable_result]
    assert_equal({ 'batch_001' => { 'n' => 1 }, 'batch_002' => { 'n' => 2 } }, scenario.batch_results)
    assert_equal 3, batch.get_dependency_result(step, 'analyze', 'rows')
  end

  def test_decision_helpers_validate_their_outcomes
    decide = MixinsTestHandlers::Decides.new
    custom = decide.decision_with_custom_outcome(outcome: { type: 'create_steps', step_names: ['a'] })

    assert_equal({ decision_point_outcome: { type: 'create_steps', step_names: ['a'] } }, custom.result)
    assert_equal true, custom.metadata[:decision_point]
    error = assert_raises(TaskerCore::Errors::PermanentError) { decide.decision_success(steps: []) }
    assert_equal ['Invalid decision point outcome: step_names must be non-empty array', 'INVALID_DECISION_OUTCOME'],
                 [error.message, error.error_code]
    assert_raises(TaskerCore::Errors::PermanentError) { decide.validate_decision_outcome!({ type: 'maybe' }) }
  end

  def test_handler_introspection
    handler = MixinsTestHandlers::Decides.new

    assert_equal 'decides', handler.handler_name
    assert_equal %w[process decision_point dynamic_workflow step_creation], handler.capabilities
    assert handler.validate_config({})
    assert_equal({}, handler.config)
  end
end
