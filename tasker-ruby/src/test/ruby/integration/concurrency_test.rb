# frozen_string_literal: true

require 'test_helper'

module ConcurrencyIt
  # Records how many steps of its class run at once, on which threads, and in which instances.
  class Tracked < TaskerCore::StepHandler::Base
    class << self
      def reset!
        @lock = Mutex.new
        @running = 0
        @max_running = 0
        @threads = []
        @instances = []
      end

      def enter(instance)
        @lock.synchronize do
          @running += 1
          @max_running = [@max_running, @running].max
          @threads << Thread.current.name
          @instances << instance.object_id
        end
      end

      def leave
        @lock.synchronize { @running -= 1 }
      end

      attr_reader :max_running, :threads, :instances
    end

    def call(context)
      self.class.enter(self)
      sleep 0.3
      { 'step' => context.step_name }
    ensure
      self.class.leave
    end
  end

  class Parallel < Tracked
    reset!
  end

  class Serial < Tracked
    serial!
    reset!
  end
end

class ConcurrencyTest < Minitest::Test
  include TaskerTest::Integration

  NAMESPACE = 'ruby_concurrency_it'
  STEPS = 6

  def template(name, callable)
    steps = (1..STEPS).map { |i| "  - name: s#{i}\n    handler: {callable: #{callable}}" }.join("\n")
    "namespace: #{NAMESPACE}\nname: #{name}\nversion: 1.0.0\nidentity_strategy: always_unique\nsteps:\n#{steps}\n"
  end

  def setup
    register_template(template('parallel', 'ConcurrencyIt::Parallel'))
    register_template(template('serial', 'ConcurrencyIt::Serial'))
    ConcurrencyIt::Parallel.reset!
    ConcurrencyIt::Serial.reset!
    start_worker(namespaces: [NAMESPACE], max_concurrent_steps: 8)
  end

  def teardown
    stop_worker
  end

  def test_handlers_run_in_parallel_on_the_bridges_handler_threads
    task = await_task(create_task(NAMESPACE, 'parallel'))

    assert_equal 'complete', task['state']
    assert_operator ConcurrencyIt::Parallel.max_running, :>, 1
    assert(ConcurrencyIt::Parallel.threads.all? { |name| name.start_with?('tasker-ruby-handler-') },
           ConcurrencyIt::Parallel.threads.inspect)
    assert_operator ConcurrencyIt::Parallel.threads.uniq.size, :>, 1
  end

  def test_a_serial_handler_never_runs_concurrently_with_itself
    tasks = 2.times.map { create_task(NAMESPACE, 'serial') }.map { |id| await_task(id) }

    assert_equal %w[complete complete], tasks.map { |t| t['state'] }
    assert_equal 1, ConcurrencyIt::Serial.max_running
    assert_equal 2 * STEPS, ConcurrencyIt::Serial.instances.size
  end

  def test_every_step_gets_a_new_handler_instance
    await_task(create_task(NAMESPACE, 'parallel'))

    assert_equal STEPS, ConcurrencyIt::Parallel.instances.size
    assert_equal STEPS, ConcurrencyIt::Parallel.instances.uniq.size
  end
end
