# frozen_string_literal: true

require 'test_helper'

# Bootstrap against a stand-in for the Java foundation; the real one is exercised by the
# integration tests.
class BootstrapTest < Minitest::Test
  class FakeFoundation
    attr_reader :calls, :config

    def initialize(fail_bootstrap: false)
      @calls = []
      @running = false
      @fail_bootstrap = fail_bootstrap
    end

    def bootstrap_worker(config)
      @calls << :bootstrap_worker
      raise 'database unreachable' if @fail_bootstrap

      @config = config
      @running = true
      'started'
    end

    def worker_status
      @running ? { running: true, environment: 'test' } : { running: false, error: 'Worker system not initialized' }
    end

    def transition_to_graceful_shutdown
      @calls << :transition_to_graceful_shutdown
    end

    def stop_worker
      @calls << :stop_worker
      @running = false
    end
  end

  def setup
    @bootstrap = TaskerCore::Worker::Bootstrap.instance
    @foundation = FakeFoundation.new
  end

  def teardown
    with_foundation { @bootstrap.shutdown! }
  end

  def with_foundation(foundation = @foundation, &block)
    ffi = TaskerCore::FFI
    ffi.stub(:bootstrap_worker, ->(c) { foundation.bootstrap_worker(c) }) do
      ffi.stub(:worker_status, -> { foundation.worker_status }) do
        ffi.stub(:transition_to_graceful_shutdown, -> { foundation.transition_to_graceful_shutdown }) do
          ffi.stub(:stop_worker, -> { foundation.stop_worker }, &block)
        end
      end
    end
  end

  def test_start_passes_the_configuration_to_the_foundation
    with_foundation do
      @bootstrap.start!(worker_id: 'w-1', deployment_mode: 'Polling', trap_signals: false)

      assert @bootstrap.running?
      assert_equal :running, @bootstrap.state
      assert_equal 'w-1', @foundation.config[:worker_id]
      assert_equal 'Polling', @foundation.config[:deployment_mode]
      assert_equal false, @foundation.config[:enable_web_api]
      assert_equal true, @foundation.config[:event_driven_enabled]
      refute @foundation.config.key?(:trap_signals)
    end
  end

  def test_default_worker_id_is_a_ruby_worker_uuid
    with_foundation do
      @bootstrap.start!(trap_signals: false)

      assert_match(/\Aruby-worker-\h{8}-\h{4}-\h{4}-\h{4}-\h{12}\z/, @foundation.config[:worker_id])
    end
  end

  def test_status_merges_the_ruby_side_into_the_foundations
    with_foundation do
      @bootstrap.start!(trap_signals: false)
      status = @bootstrap.status

      assert_equal true, status[:running]
      assert_equal 'test', status[:environment]
      assert_equal :running, status[:status]
      assert_equal true, status[:event_bridge_active]
      assert_equal true, status[:subscriber_active]
      assert_equal TaskerCore::Registry::HandlerRegistry.instance.handlers.size, status[:handler_registry_size]
    end
  end

  def test_shutdown_follows_the_notes_order_and_runs_custom_handlers
    order = []
    with_foundation do
      @bootstrap.start!(trap_signals: false)
      @bootstrap.on_shutdown { order << :custom }
      @bootstrap.on_shutdown { raise 'a broken shutdown handler is skipped' }

      @bootstrap.shutdown!
      @bootstrap.shutdown!
    end

    assert_equal %i[bootstrap_worker transition_to_graceful_shutdown stop_worker], @foundation.calls
    assert_equal [:custom], order
    assert_equal :stopped, @bootstrap.state
    refute TaskerCore::Worker::EventBridge.instance.active?
    refute @bootstrap.running?
  ensure
    @bootstrap.instance_variable_get(:@shutdown_handlers).clear
    TaskerCore::Worker::EventBridge.instance.start!
  end

  def test_a_second_start_while_running_changes_nothing
    with_foundation do
      @bootstrap.start!(trap_signals: false)
      @bootstrap.start!(worker_id: 'other', trap_signals: false)

      assert_equal [:bootstrap_worker], @foundation.calls
    end
  end

  def test_a_failed_start_cleans_up_and_raises
    foundation = FakeFoundation.new(fail_bootstrap: true)
    with_foundation(foundation) do
      error = assert_raises(RuntimeError) { @bootstrap.start!(trap_signals: false) }

      assert_equal 'database unreachable', error.message
      assert_equal :stopped, @bootstrap.state
      refute @bootstrap.status[:subscriber_active]
    end
  end

  def test_status_before_start_reports_the_foundation_not_running
    with_foundation do
      status = @bootstrap.status

      assert_equal false, status[:running]
      assert_equal 'Worker system not initialized', status[:error]
    end
  end

  def test_signals_are_trapped_while_running_and_restored_after
    with_foundation do
      previous = Signal.trap('TERM', 'DEFAULT')
      Signal.trap('TERM', previous)
      @bootstrap.start!
      @bootstrap.shutdown!

      assert_equal [], @bootstrap.instance_variable_get(:@previous_traps).keys
    end
  end

  def with_env(values)
    saved = values.keys.to_h { |name| [name, ENV.fetch(name, nil)] }
    values.each { |name, value| ENV[name] = value }
    yield
  ensure
    saved.each { |name, value| ENV[name] = value }
  end

  # Like tasker-core's worker, started with no options at all.
  def test_started_without_options_it_reads_the_environment
    with_env('TASKER_DATABASE_URL' => nil, 'DATABASE_URL' => 'postgresql://db/app',
             'TASKER_TEMPLATE_PATH' => "/srv/templates#{File::PATH_SEPARATOR}/srv/more.yaml") do
      with_foundation { TaskerCore::Worker::Bootstrap.start! }
    end

    assert_equal 'postgresql://db/app', @foundation.config[:database_url]
    assert_equal ['/srv/templates', '/srv/more.yaml'], @foundation.config[:template_paths]
  end

  def test_tasker_database_url_wins_and_options_win_over_the_environment
    with_env('TASKER_DATABASE_URL' => 'postgresql://db/tasker', 'DATABASE_URL' => 'postgresql://db/app',
             'TASKER_TEMPLATE_PATH' => '/srv/templates') do
      with_foundation { @bootstrap.start!(template_paths: ['/mine'], trap_signals: false) }
    end

    refute @foundation.config.key?(:database_url), 'the foundation reads TASKER_DATABASE_URL itself'
    assert_equal ['/mine'], @foundation.config[:template_paths]
  end
end
