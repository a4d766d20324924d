# frozen_string_literal: true

require 'tasker_core/models/task_wrapper'
require 'tasker_core/models/workflow_step_wrapper'
require 'tasker_core/models/step_definition_wrapper'
require 'tasker_core/models/dependency_results_wrapper'

module TaskerCore
  module Models
    # tasker-core's name for the step context.
    TaskSequenceStepWrapper = TaskerCore::TaskSequenceStepWrapper
  end
end
