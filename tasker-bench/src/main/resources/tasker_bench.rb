# frozen_string_literal: true

require 'java'
require 'json'
require 'tasker_core'
require 'tasker_core/slf4j_logger'

# The benchmarks' Ruby side: starting the Ruby worker with the example handlers for ruby-vs-java,
# and the handler and completion route that ruby-forwarding times.
module TaskerBench
  PROBE = Java::IoTaskerBenchInternal::ForwardingProbe

  # The Ruby layer logs to stdout unless told otherwise, where the results table goes.
  TaskerCore.logger = TaskerCore::Slf4jLogger.new('io.tasker.ruby.TaskerCore') unless
    TaskerCore.logger.is_a?(TaskerCore::Slf4jLogger)

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

  # Starts a Ruby worker with the example handlers (Examples::Math, Examples::Orders) through
  # TaskerCore::Worker::Bootstrap, as an application would.
  def start_worker(config_json)
    require 'examples'
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
