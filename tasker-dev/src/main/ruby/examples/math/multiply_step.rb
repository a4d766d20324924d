# frozen_string_literal: true

module Examples
  module Math
    # Multiplies the values of the steps it depends on (its direct parents as the template names
    # them, not every ancestor), joining the branches of a DAG into one number.
    class MultiplyStep < TaskerCore::StepHandler::Base
      def call(step)
        parents = step.depends_on
        if parents.empty?
          raise TaskerCore::Errors::PermanentError,
                "step #{step.step_name} depends on no steps, so MultiplyStep has nothing to multiply; give it depends_on"
        end

        product = parents.reduce(1) { |acc, parent| acc * Value.of_step(step.dependency_result(parent), parent) }
        success(result: Value.result(product))
      end
    end
  end
end
