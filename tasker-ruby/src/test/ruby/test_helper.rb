# frozen_string_literal: true

require 'minitest'
require 'minitest/mock'
require 'tasker_core'
require 'support/junit_runner'
require 'support/step_events'
require 'support/integration'

# Minitest.run normally sets the seed; the JUnit runner calls tests one by one instead.
Minitest.seed ||= Integer(ENV.fetch('SEED', Random.new_seed % 0xFFFF))

TaskerCore.logger.level = ENV.fetch('TASKER_TEST_LOG_LEVEL', 'warn')
