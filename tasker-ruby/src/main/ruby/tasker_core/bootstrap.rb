# frozen_string_literal: true

# tasker-core's path for this part of the worker.
require 'tasker_core/worker/bootstrap'
