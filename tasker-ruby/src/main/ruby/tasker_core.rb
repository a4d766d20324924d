# frozen_string_literal: true

# The Ruby side of Tasker's worker: step handlers, the handler registry and the event bridge
# to the Java foundation. TaskerCore::FFI is defined in Java (io.tasker.ruby.internal.TaskerCoreFfi)
# before this file loads; under a plain `jruby` with the tasker-ruby jar on the classpath it is
# defined on demand below.
#
# Handlers written for tasker-core's Ruby worker run here unchanged: its classes and its feature
# paths (require 'tasker_core/errors', 'tasker_core/types', ...) are here too.

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

require 'tasker_core/require_relative_fallback'
require 'tasker_core/logging'
require 'tasker_core/logger'
require 'tasker_core/tracing'
require 'tasker_core/indifferent_hash'
require 'tasker_core/errors'
require 'tasker_core/events/subscription'
require 'tasker_core/events/publisher'
require 'tasker_core/task_sequence_step_wrapper'
require 'tasker_core/models'
require 'tasker_core/step_handler/result'
require 'tasker_core/types'
require 'tasker_core/step_handler/base'
require 'tasker_core/step_handler/mixins'
require 'tasker_core/step_handler/api'
require 'tasker_core/step_handler/decision'
require 'tasker_core/step_handler/batchable'
require 'tasker_core/batch_processing/batch_worker_context'
require 'tasker_core/batch_processing/batch_aggregation_scenario'
require 'tasker_core/task_handler/base'
require 'tasker_core/handlers'
require 'tasker_core/domain_events'
require 'tasker_core/ffi/step_events'
require 'tasker_core/registry/handler_registry'
require 'tasker_core/registry/handler_loader'
require 'tasker_core/worker/event_bridge'
require 'tasker_core/worker/step_execution_subscriber'
require 'tasker_core/worker/bootstrap'
