# frozen_string_literal: true

module Examples
  module Math
    # Squares one number: the value of the step it depends on, or the task context's
    # even_number when it is a root step.
    class SquareStep < TaskerCore::StepHandler::Base
      def call(step)
        parents = step.depends_on
        input = case parents.size
                when 0 then Value.integer(step.task_context['even_number'], 'context.even_number')
                when 1 then Value.of_step(step.dependency_result(parents.first), parents.first)
                else
                  raise TaskerCore::Errors::PermanentError,
                        "step #{step.step_name} depends on #{parents.size} steps, but SquareStep squares a single " \
                        'value; use MultiplyStep to combine several'
                end
        success(result: Value.result(input * input))
      end
    end
  end
end
