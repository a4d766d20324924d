# frozen_string_literal: true

module TaskerCore
  module StepHandler
    # The base of tasker-core's batch-processing handlers (see Mixins::Batchable).
    class Batchable < Base
      include Mixins::Batchable
      abstract!
    end
  end
end
