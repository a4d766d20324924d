# frozen_string_literal: true

# tasker-core's path for its step context.
require 'tasker_core/types'
