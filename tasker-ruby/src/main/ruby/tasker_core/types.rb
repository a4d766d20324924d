# frozen_string_literal: true

require 'tasker_core/types/step_handler_call_result'
require 'tasker_core/types/decision_point_outcome'
require 'tasker_core/types/batch_processing_outcome'
require 'tasker_core/types/error_types'

module TaskerCore
  # tasker-core's type names, for handlers written against its Ruby worker.
  module Types
    # What call(context) receives: this worker's step context.
    StepContext = TaskerCore::TaskSequenceStepWrapper

    # The name tasker-core's older handlers document their arguments with.
    TaskSequenceStep = TaskerCore::TaskSequenceStepWrapper
  end
end
