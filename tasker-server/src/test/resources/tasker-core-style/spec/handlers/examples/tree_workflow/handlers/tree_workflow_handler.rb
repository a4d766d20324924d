# frozen_string_literal: true

require_relative '../../../../../lib/tasker_core/task_handler/base'

module TreeWorkflow
  class TreeWorkflowHandler < TaskerCore::TaskHandler::Base
  end
end
