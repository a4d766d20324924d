# frozen_string_literal: true

require 'test_helper'

module CancellationIt
  # Sleeps far past any deadline, and reports how it ended.
  class Sleeper < TaskerCore::StepHandler::Base
    STARTED = Queue.new
    ENDED = Queue.new

    def call(_context)
      STARTED << Thread.current.name
      sleep 20
      ENDED << :finished
      {}
    rescue Exception => e
      ENDED << e.class
      raise
    end
  end

  class Quick < TaskerCore::StepHandler::Base
    def call(_context) = { 'thread' => Thread.current.name }
  end

  # Ignores its cancellation, as `loop { begin; sleep 1; rescue Exception; end }` does, until the
  # test lets it go.
  class Stubborn < TaskerCore::StepHandler::Base
    class << self
      attr_accessor :released
    end

    def call(_context)
      loop do
        begin
          return { 'stubborn' => true } if Stubborn.released

          sleep 0.05
        rescue Exception # rubocop:disable Lint/RescueException
          # the cancellation, ignored
        end
      end
    end
  end
end

# When the foundation gives up on a step (its timeout passed, or the worker stops past its
# shutdown timeout), the Ruby handler still running it is interrupted, and its thread goes on
# to serve other steps.
class CancellationTest < Minitest::Test
  include TaskerTest::Integration

  def template(namespace, name, steps)
    register_template(<<~YAML)
      namespace: #{namespace}
      name: #{name}
      version: 1.0.0
      identity_strategy: always_unique
      steps:
      #{steps.gsub(/^/, '  ')}
    YAML
  end

  def setup
    template('ruby_timeout_it', 'slow', <<~STEPS)
      - name: sleep
        handler: {callable: CancellationIt::Sleeper}
        timeout_seconds: 1
        retry: {retryable: false}
    STEPS
    template('ruby_timeout_it', 'quick', <<~STEPS)
      - name: quick
        handler: {callable: CancellationIt::Quick}
    STEPS
    template('ruby_shutdown_it', 'slow', <<~STEPS)
      - name: sleep
        handler: {callable: CancellationIt::Sleeper}
        timeout_seconds: 120
    STEPS
    template('ruby_stuck_it', 'stubborn', <<~STEPS)
      - name: stubborn
        handler: {callable: CancellationIt::Stubborn}
        timeout_seconds: 1
        retry: {retryable: false}
    STEPS
    template('ruby_stuck_it', 'quick', <<~STEPS)
      - name: quick
        handler: {callable: CancellationIt::Quick}
    STEPS
    CancellationIt::Stubborn.released = false
    CancellationIt::Sleeper::STARTED.clear
    CancellationIt::Sleeper::ENDED.clear
  end

  def teardown
    CancellationIt::Stubborn.released = true
    stop_worker
  end

  def stuck_handlers
    Java::IoTaskerWorker::WorkerBootstrap.running.sum(&:stuck_handlers)
  end

  def wait_until(seconds = 15)
    deadline = Process.clock_gettime(Process::CLOCK_MONOTONIC) + seconds
    until yield
      flunk "not within #{seconds} s" if Process.clock_gettime(Process::CLOCK_MONOTONIC) > deadline
      sleep 0.05
    end
  end

  # Two slots and five handlers that ignore their cancellation: the first two are replaced by new
  # threads, the next two keep their slots (one replacement per slot), and every other step waits
  # for a free thread instead of failing; once the handlers return, everything runs.
  def test_handlers_that_ignore_cancellation_never_make_another_step_fail
    start_worker(namespaces: ['ruby_stuck_it'], max_concurrent_steps: 2, cancel_grace_seconds: 0.3)
    stubborn = Array.new(5) { create_task('ruby_stuck_it', 'stubborn') }
    wait_until { stuck_handlers == 4 }
    quick = Array.new(3) { create_task('ruby_stuck_it', 'quick') }
    sleep 1.5

    waiting = quick.map { |id| step(JSON.parse(database.task_json(id)), 'quick') }
    assert_equal [0, 0, 0], waiting.map { |s| s['attempts'] }
    CancellationIt::Stubborn.released = true

    assert_equal %w[complete complete complete], quick.map { |id| await_task(id)['state'] }
    assert_equal %w[error error error error complete], stubborn.map { |id| await_task(id)['state'] }
    wait_until { stuck_handlers.zero? }
  end

  def test_a_step_past_its_timeout_fails_and_its_handler_thread_serves_the_next_step
    start_worker(namespaces: ['ruby_timeout_it'], max_concurrent_steps: 1)

    slow = await_task(create_task('ruby_timeout_it', 'slow'))
    assert_equal TaskerCore::Errors::StepCancelledError, Timeout.timeout(5) { CancellationIt::Sleeper::ENDED.pop }
    quick = await_task(create_task('ruby_timeout_it', 'quick'))

    assert_equal 'error', slow['state']
    assert_match(/timed out after 1 s/, step(slow, 'sleep').dig('lastError', 'message'))
    assert_equal 'complete', quick['state']
    assert_equal CancellationIt::Sleeper::STARTED.pop, step(quick, 'quick').dig('results', 'thread')
  end

  def test_shutdown_cancels_a_handler_still_running_at_the_deadline_and_releases_its_step
    start_worker(namespaces: ['ruby_shutdown_it'], shutdown_timeout_seconds: 0.3)
    task_id = create_task('ruby_shutdown_it', 'slow')
    CancellationIt::Sleeper::STARTED.pop

    started = Process.clock_gettime(Process::CLOCK_MONOTONIC)
    bootstrap.shutdown!
    elapsed = Process.clock_gettime(Process::CLOCK_MONOTONIC) - started

    assert_operator elapsed, :<, 5
    assert_equal TaskerCore::Errors::StepCancelledError, Timeout.timeout(5) { CancellationIt::Sleeper::ENDED.pop }
    released = step(JSON.parse(database.task_json(task_id)), 'sleep')
    refute_includes %w[in_progress error], released['state']
  end
end
