# frozen_string_literal: true

require 'tasker_core/errors/error'
require 'tasker_core/errors/retryable_error'
require 'tasker_core/errors/permanent_error'
require 'tasker_core/errors/validation_error'
require 'tasker_core/errors/not_found_error'
require 'tasker_core/errors/timeout_error'
require 'tasker_core/errors/network_error'
require 'tasker_core/errors/ffi_error'
require 'tasker_core/errors/server_error'
require 'tasker_core/errors/step_cancelled_error'
require 'tasker_core/errors/error_classifier'
