# frozen_string_literal: true

# The Ruby side of Tasker's worker: step handlers, the handler registry and the event bridge
# to the Java foundation. TaskerCore::FFI is defined in Java (io.tasker.ruby.internal.TaskerCoreFfi)
# before this file loads; under a plain `jruby` with the tasker-ruby jar on the classpath it is
# defined on demand below.

require 'bigdecimal'
require 'logger'
require 'securerandom'
require 'singleton'
require 'time'

unless defined?(TaskerCore::FFI)
  require 'java'
  require 'jruby'
  Java::IoTaskerRubyInternal::TaskerCoreFfi.define(JRuby.runtime)
end

require 'tasker_core/logging'
require 'tasker_core/errors/error'
require 'tasker_core/errors/retryable_error'
require 'tasker_core/errors/permanent_error'
require 'tasker_core/errors/step_cancelled_error'
require 'tasker_core/events/subscription'
require 'tasker_core/events/publisher'
require 'tasker_core/task_sequence_step_wrapper'
require 'tasker_core/step_handler/result'
require 'tasker_core/step_handler/base'
require 'tasker_core/registry/handler_registry'
require 'tasker_core/registry/handler_loader'
require 'tasker_core/worker/event_bridge'
require 'tasker_core/worker/step_execution_subscriber'
require 'tasker_core/worker/bootstrap'
