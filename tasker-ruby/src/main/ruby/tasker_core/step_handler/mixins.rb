# frozen_string_literal: true

require 'tasker_core/step_handler/mixins/api'
require 'tasker_core/step_handler/mixins/decision'
require 'tasker_core/step_handler/mixins/batchable'
