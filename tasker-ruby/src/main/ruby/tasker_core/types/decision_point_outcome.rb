# frozen_string_literal: true

module TaskerCore
  module Types
    # What a decision step decides: no branches, or the names of the steps to create. Stored in
    # the step's result under decision_point_outcome, in the form to_h gives, which the step path
    # reads to create the steps (docs/dynamic-workflows.md).
    module DecisionPointOutcome
      NoBranches = Data.define do
        def type = 'no_branches'
        def step_names = []
        def requires_step_creation? = false
        def to_h = { type: type }
      end

      CreateSteps = Data.define(:step_names) do
        def type = 'create_steps'
        def requires_step_creation? = true
        def to_h = { type: type, step_names: step_names }
      end

      class << self
        def no_branches
          NoBranches.new
        end

        def create_steps(step_names)
          names = Array(step_names)
          raise ArgumentError, 'step_names cannot be empty' if names.empty?
          raise ArgumentError, 'step names must be Strings' unless names.all?(String)

          CreateSteps.new(step_names: names)
        end

        # The outcome a Hash describes, or nil.
        def from_hash(hash)
          return nil unless hash.is_a?(Hash)

          case hash[:type] || hash['type']
          when 'no_branches' then no_branches
          when 'create_steps'
            names = hash[:step_names] || hash['step_names']
            names.is_a?(Array) && !names.empty? ? create_steps(names) : nil
          end
        end
      end
    end
  end
end
