# frozen_string_literal: true

# tasker-core's path for this part of the worker.
require 'tasker_core/registry/handler_registry'
require 'tasker_core/registry/handler_loader'
