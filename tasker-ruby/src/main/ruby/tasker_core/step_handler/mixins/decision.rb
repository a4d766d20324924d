# frozen_string_literal: true

module TaskerCore
  module StepHandler
    module Mixins
      # tasker-core's decision-point helpers. The outcome goes in the step's result, under
      # decision_point_outcome beside result_data, as in tasker-core; the step path reads it there
      # and creates the chosen steps in the transaction that records the step (a choice the
      # template does not declare fails the step). See docs/dynamic-workflows.md.
      module Decision
        def capabilities
          super + %w[decision_point dynamic_workflow step_creation]
        end

        # A decision to create the steps named.
        def decision_success(steps:, result_data: {}, metadata: {})
          names = Array(steps)
          validate_step_names!(names)
          decision_result(Types::DecisionPointOutcome.create_steps(names), result_data, metadata)
        end

        # A decision to create no steps.
        def decision_no_branches(result_data: {}, metadata: {})
          decision_result(Types::DecisionPointOutcome.no_branches, result_data, metadata)
        end
        alias skip_branches decision_no_branches

        def decision_with_custom_outcome(outcome:, result_data: {}, metadata: {})
          outcome_hash = validate_decision_outcome!(outcome)
          success(result: result_data.merge(decision_point_outcome: outcome_hash),
                  metadata: decision_metadata(metadata, Types::DecisionPointOutcome.from_hash(outcome_hash)))
        end

        # The outcome as a Hash, if it is a valid one; raises PermanentError otherwise.
        def validate_decision_outcome!(outcome)
          hash = outcome.respond_to?(:to_h) ? outcome.to_h : nil
          invalid_outcome!('Outcome must be Hash or DecisionPointOutcome') unless hash.is_a?(Hash)

          type = hash[:type] || hash['type'] || hash[:outcome_type] || hash['outcome_type']
          unless %w[NoBranches CreateSteps no_branches create_steps].include?(type)
            invalid_outcome!("Invalid outcome_type: #{type}")
          end
          validate_step_names!(hash[:step_names] || hash['step_names']) if type.downcase.delete('_') == 'createsteps'
          hash
        end

        private

        def decision_result(outcome, result_data, metadata)
          success(result: result_data.merge(decision_point_outcome: outcome.to_h),
                  metadata: decision_metadata(metadata, outcome))
        end

        def validate_step_names!(names)
          invalid_outcome!('step_names must be non-empty array') unless names.is_a?(Array) && !names.empty?
          return if names.all? { |name| name.is_a?(String) && !name.empty? }

          invalid_outcome!('All step names must be non-empty strings')
        end

        def decision_metadata(metadata, outcome)
          { decision_point: true, outcome_type: outcome&.type, branches_created: outcome ? outcome.step_names.size : 0,
            processed_at: Time.now.utc.iso8601, processed_by: handler_name }.merge(metadata)
        end

        def invalid_outcome!(message)
          raise Errors::PermanentError.new("Invalid decision point outcome: #{message}",
                                           error_code: 'INVALID_DECISION_OUTCOME',
                                           context: { error_category: 'validation' })
        end
      end
    end
  end
end
