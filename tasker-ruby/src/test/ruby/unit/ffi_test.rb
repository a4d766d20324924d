# frozen_string_literal: true

require 'test_helper'

# TaskerCore::FFI without a running worker: what it refuses, and how.
class FfiTest < Minitest::Test
  FFI = TaskerCore::FFI

  def bootstrap_error(config)
    assert_raises(ArgumentError) { FFI.bootstrap_worker(config) }.message
  end

  def test_defines_the_notes_five_functions
    assert_equal %i[bootstrap_worker send_step_completion_event stop_worker transition_to_graceful_shutdown worker_status],
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
end
