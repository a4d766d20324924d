# frozen_string_literal: true

module TaskerCore
  module StepHandler
    # The base of tasker-core's decision-point handlers (see Mixins::Decision).
    class Decision < Base
      include Mixins::Decision
      abstract!
    end
  end
end
