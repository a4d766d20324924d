# frozen_string_literal: true

module TaskerCore
  module Models
    # The results of a step's ancestors, by step name: a Hash (step name => result) that also
    # answers tasker-core's calls. It is the `sequence` of a call(task, sequence, step) handler.
    class DependencyResultsWrapper < IndifferentHash
      # The result of step_name, or nil.
      def get_results(step_name)
        self[step_name]
      end

      # The result of step_name as tasker-core's record of it, { 'result' => result }, or nil.
      def get_result(step_name)
        key?(step_name) ? IndifferentHash['result', self[step_name]] : nil
      end
    end
  end
end
