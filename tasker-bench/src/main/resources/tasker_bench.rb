# frozen_string_literal: true

require 'java'
require 'json'
require 'tasker_core'

# The benchmarks' Ruby side: the Ruby twin of the Java SquareStep for ruby-vs-java, and the
# handler and completion route that ruby-forwarding times.
module TaskerBench
  PROBE = Java::IoTaskerBenchInternal::ForwardingProbe

  # Squares the value of the step before it, or the context's even_number at the root, exactly as
  # io.tasker.examples.math.SquareStep does, so both layers do the same work.
  class SquareStep < TaskerCore::StepHandler::Base
    def call(step)
      parents = step.depends_on
      input = if parents.empty?
                step.task_context.fetch('even_number')
              else
                step.dependency_result(parents.first).fetch('value')
              end
      success(result: { 'value' => input * input })
    end
  end

  # Its first line is the end of the forwarding path being timed.
  class ForwardingStep < TaskerCore::StepHandler::Base
    def call(_step)
      PROBE.entered
      { 'forwarded' => true }
    end
  end

  # Stands in for EventBridge on the completion side only. TaskerCore::FFI answers the worker it
  # bootstrapped, and the forwarding benchmark drives a RubyEventHandler of its own without a
  # database, so its completions go to that handler through the probe. Executions still arrive
  # through the real EventBridge, which is the path under measurement.
  class ProbeBridge
    def subscribe_to_step_execution(&block)
      TaskerCore::Worker::EventBridge.instance.subscribe_to_step_execution(&block)
    end

    def publish_step_completion(completion)
      PROBE.complete(completion)
      completion
    end
  end

  module_function

  # Starts a Ruby worker through TaskerCore::Worker::Bootstrap, as an application would.
  def start_worker(config_json)
    TaskerCore::Worker::Bootstrap.start!(JSON.parse(config_json, symbolize_names: true))
  end

  # Stops it, and lets the EventBridge accept executions again for whatever runs next.
  def stop_worker
    TaskerCore::Worker::Bootstrap.instance.shutdown!
    TaskerCore::Worker::EventBridge.instance.start!
  end

  def start_forwarding
    TaskerCore::Worker::EventBridge.instance.start!
    @forwarding = TaskerCore::Worker::StepExecutionSubscriber.new(event_bridge: ProbeBridge.new).start!
  end

  def stop_forwarding
    @forwarding&.stop!
    @forwarding = nil
  end
end
