# frozen_string_literal: true

# tasker-core's path for its error classes.
require 'tasker_core/errors'
