# frozen_string_literal: true

module TaskerCore
  module StepHandler
    # The base of tasker-core's HTTP handlers (see Mixins::API).
    class Api < Base
      include Mixins::API
      abstract!
    end
  end
end
