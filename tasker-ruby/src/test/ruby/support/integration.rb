# frozen_string_literal: true

require 'java'
require 'json'
require 'timeout'

module TaskerTest
  # For tests that run a real worker: the shared test database (created by Java), templates,
  # tasks, and a worker started through TaskerCore::Worker::Bootstrap. Each test class uses its
  # own namespace so a worker never claims another test's steps.
  module Integration
    def database
      Java::IoTaskerRuby::RubyTestDatabase.instance
    end

    def bootstrap
      TaskerCore::Worker::Bootstrap.instance
    end

    def register_template(yaml)
      database.register_template(yaml)
    end

    def start_worker(namespaces:, **options)
      bootstrap.start!(
        { database_url: database.url, environment: 'test', namespaces: namespaces, trap_signals: false,
          max_concurrent_steps: 8 }.merge(options)
      )
    end

    def stop_worker
      bootstrap.shutdown!
      TaskerCore::Worker::EventBridge.instance.start!
    end

    # Registers the templates, runs the block on a worker of the namespace, then stops the worker;
    # returns what the block returned.
    def with_worker(namespace, *templates)
      templates.each { |yaml| register_template(yaml) }
      start_worker(namespaces: [namespace])
      yield
    ensure
      stop_worker
    end

    def create_task(namespace, name, context = {})
      database.create_task(namespace, name, JSON.generate(context))
    end

    FINISHED = %w[complete error cancelled resolved_manually].freeze

    # Waits for the task to finish; returns it as the API shows it (String keys). With retries:
    # true it also makes due retries claimable meanwhile, which an orchestrator would do.
    def await_task(task_id, timeout: 30, retries: false)
      if retries
        deadline = Process.clock_gettime(Process::CLOCK_MONOTONIC) + timeout
        until FINISHED.include?(database.await_finished(task_id, 50)) ||
              Process.clock_gettime(Process::CLOCK_MONOTONIC) > deadline
          database.enqueue_due_retries
        end
      else
        database.await_finished(task_id, (timeout * 1000).to_i)
      end
      JSON.parse(database.task_json(task_id))
    end

    def step(task, name)
      task.fetch('steps').find { |s| s['name'] == name } or flunk "no step #{name} in #{task.inspect}"
    end
  end
end
