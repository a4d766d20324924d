# frozen_string_literal: true

require 'test_helper'

# TaskerCore::FFI without a running worker: what it refuses, and how.
class FfiTest < Minitest::Test
  FFI = TaskerCore::FFI

  def bootstrap_error(config)
    assert_raises(ArgumentError) { FFI.bootstrap_worker(config) }.message
  end

  def test_defines_the_notes_five_functions_and_tasker_cores_polling_pair
    assert_equal %i[bootstrap_worker complete_step_event poll_step_events send_step_completion_event stop_worker
                    transition_to_graceful_shutdown worker_status],
                 FFI.singleton_methods.grep_v(/minitest/).sort
  end

  def test_status_without_a_worker
    assert_equal({ running: false, error: 'Worker system not initialized' }, FFI.worker_status)
  end

  def test_stop_and_shutdown_without_a_worker
    assert_equal 'Worker system not running', FFI.stop_worker
    error = assert_raises(RuntimeError) { FFI.transition_to_graceful_shutdown }
    assert_equal 'Worker system not running', error.message
  end

  def test_a_completion_without_a_worker
    completion = { event_id: SecureRandom.uuid, task_uuid: SecureRandom.uuid, step_uuid: SecureRandom.uuid,
                   success: true, result: {} }

    error = assert_raises(RuntimeError) { FFI.send_step_completion_event(completion) }
    assert_equal 'Worker system not initialized', error.message
  end

  def test_unknown_keys_are_named
    message = bootstrap_error({ worker_id: 'w', namespace: ['x'], database_url: 'postgresql://h/db' })

    assert_match(/\Ainvalid bootstrap_worker config: unknown key :namespace \(known: worker_id, /, message)
  end

  def test_bad_values_are_named_all_at_once
    message = bootstrap_error({ deployment_mode: 'Sometimes', max_concurrent_steps: 0, namespaces: 'billing',
                                enable_web_api: 'no', lease_seconds: -1, database_url: 'postgresql://h/db' })

    assert_includes message, "enable_web_api must be true or false, got \"no\""
    assert_includes message, "deployment_mode must be 'Polling', 'EventDriven' or 'Hybrid', got \"Sometimes\""
    assert_includes message, 'namespaces must be an Array of Strings, got "billing"'
    assert_includes message, 'max_concurrent_steps must be a positive Integer, got 0'
    assert_includes message, 'lease_seconds must be a positive number of seconds, got -1'
  end

  def test_event_driven_disabled_contradicts_event_driven_mode
    message = bootstrap_error({ event_driven_enabled: false, deployment_mode: 'EventDriven', namespaces: ['x'],
                                database_url: 'postgresql://h/db' })

    assert_includes message, "event_driven_enabled: false contradicts deployment_mode 'EventDriven'"
  end

  def test_a_database_url_is_required
    previous = ENV.delete('TASKER_DATABASE_URL')
    message = bootstrap_error({ namespaces: ['x'] })

    assert_includes message, 'database_url is required (or set TASKER_DATABASE_URL)'
  ensure
    ENV['TASKER_DATABASE_URL'] = previous if previous
  end

  def test_the_worker_configuration_is_checked_before_connecting
    message = bootstrap_error({ namespaces: [], database_url: 'postgresql://nowhere.invalid/db' })

    assert_includes message, 'namespaces must name at least one namespace'
  end

  def test_config_must_be_a_hash
    assert_equal 'invalid bootstrap_worker config: config must be a Hash, got a String', bootstrap_error('x')
  end

  def test_poll_step_events_without_a_worker
    error = assert_raises(RuntimeError) { FFI.poll_step_events }

    assert_equal 'Worker system not running', error.message
  end

  def test_poll_step_events_with_a_worker_finds_nothing_waiting
    FFI.stub(:worker_status, { running: true }) { assert_nil FFI.poll_step_events }
  end

  # tasker-core's completions: String keys, the error under error:, retryable in the metadata.
  def test_complete_step_event_sends_tasker_cores_completions_as_this_workers
    ids = { 'task_uuid' => SecureRandom.uuid, 'step_uuid' => SecureRandom.uuid }
    sent = []
    FFI.stub(:send_step_completion_event, ->(completion) { sent << completion && true }) do
      assert FFI.complete_step_event('e-1', ids.merge('success' => true, 'result' => { 'n' => 1 },
                                                      'metadata' => { 'worker_id' => 'w' }))
      FFI.complete_step_event('e-2', ids.merge('success' => false, 'metadata' => { 'retryable' => true },
                                               'error' => { 'message' => 'boom', 'error_type' => 'RetryableError' }))
      FFI.complete_step_event('e-3', ids.transform_keys(&:to_sym).merge(success: false, error_message: 'plain'))
    end

    assert_equal({ event_id: 'e-1', task_uuid: ids['task_uuid'], step_uuid: ids['step_uuid'], success: true,
                   metadata: { 'worker_id' => 'w' }, result: { 'n' => 1 } }, sent[0])
    assert_equal ['boom', 'RetryableError', true, { 'message' => 'boom', 'error_type' => 'RetryableError' }],
                 sent[1].values_at(:error_message, :error_type, :retryable, :error_details)
    assert_equal ['plain', 'UnexpectedError', false, nil],
                 sent[2].values_at(:error_message, :error_type, :retryable, :error_details)
  end
end
