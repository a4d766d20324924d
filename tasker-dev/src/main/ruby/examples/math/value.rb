# frozen_string_literal: true

module Examples
  module Math
    # The result of every math example step, {"value" => n}. Values pass n to the 32nd within a
    # few steps; Ruby's Integer is exact at any size, and the bridge keeps it exact as JSON.
    module Value
      module_function

      def result(integer)
        { 'value' => integer }
      end

      # An integer from the JSON data, or a permanent failure: retrying cannot turn a String or a
      # fraction into an integer. what names the value in the message, e.g. "context.even_number".
      def integer(value, what)
        raise TaskerCore::Errors::PermanentError, "#{what} is missing; it must be an integer" if value.nil?
        raise TaskerCore::Errors::PermanentError, "#{what} must be an integer, got #{value.inspect}" unless value.is_a?(Integer)

        value
      end

      # The value of a parent step's result.
      def of_step(result, step_name)
        raise TaskerCore::Errors::PermanentError, "step #{step_name} has no result to use" if result.nil?

        integer(result['value'], "the result of step #{step_name}.value")
      end
    end
  end
end
