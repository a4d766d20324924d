# frozen_string_literal: true

require_relative '../../../../../lib/tasker_core/task_handler/base'

module NumberChain
  # Task-level handler of the 2025 generation: tasker-core loaded it, but steps run their own handlers.
  class NumberChainHandler < TaskerCore::TaskHandler::Base
    def handle(task, _sequence, step)
      { status: 'success', message: "number chain step #{step.step_name} done", task_uuid: task.task_uuid }
    end
  end
end
