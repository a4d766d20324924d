# frozen_string_literal: true

module TaskerCore
  # tasker-core's public names for the handler base classes.
  module Handlers
    module Steps
      Base = TaskerCore::StepHandler::Base
      Mixins = TaskerCore::StepHandler::Mixins
      API = TaskerCore::StepHandler::Api
      Decision = TaskerCore::StepHandler::Decision
      Batchable = TaskerCore::StepHandler::Batchable

      def self.create(handler_class, config: {})
        handler_class.new(config: config)
      end
    end

    module Tasks
      Base = TaskerCore::TaskHandler::Base
    end
  end
end
