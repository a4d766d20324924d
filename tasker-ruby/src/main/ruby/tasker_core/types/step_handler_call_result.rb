# frozen_string_literal: true

module TaskerCore
  module Types
    # tasker-core's result builders, building this worker's StepHandler::Result.
    #
    #   TaskerCore::Types::StepHandlerCallResult.success(result: { total: 12 }, metadata: { gateway: 'acme' })
    #   TaskerCore::Types::StepHandlerCallResult.error(error_type: 'PermanentError', message: 'no card',
    #                                                   error_code: 'NO_CARD', retryable: false)
    module StepHandlerCallResult
      Success = StepHandler::Result::Success
      Error = StepHandler::Result::Failure

      # A batch worker's "save my progress and run me again": the worker saves it and runs the step
      # again at once (the same attempt), with it in the step's checkpoint; a retry, or another
      # worker after a crash, resumes from it too.
      CheckpointYield = Data.define(:cursor, :items_processed, :accumulated_results) do
        def checkpoint?
          true
        end

        def success?
          false
        end

        def to_checkpoint_data(event_id:, step_uuid:)
          { event_id: event_id, step_uuid: step_uuid, cursor: cursor, items_processed: items_processed,
            accumulated_results: accumulated_results }
        end
      end

      class << self
        def success(result:, metadata: {})
          StepHandler::Result.success(result: result, metadata: metadata)
        end

        # A failed step; retried only if retryable. metadata is kept with the step's transitions.
        def error(message: nil, error_type: 'UnexpectedError', error_code: nil, retryable: false, metadata: {},
                  error_message: nil, retry_after: nil)
          StepHandler::Result.failure(message: message || error_message, error_type: error_type,
                                      error_code: error_code, retryable: retryable, metadata: metadata,
                                      retry_after: retry_after)
        end
        alias failure error

        def checkpoint_yield(cursor:, items_processed:, accumulated_results: nil)
          unless items_processed.is_a?(Integer) && items_processed >= 0
            raise ArgumentError, "items_processed must be an Integer, 0 or more, got #{items_processed.inspect}"
          end

          CheckpointYield.new(cursor: cursor, items_processed: items_processed,
                              accumulated_results: accumulated_results)
        end

        # A handler's return value as a result, the way tasker-core reads it: a Hash with a
        # success key is a result written out by hand.
        def from_handler_output(output)
          return output if output.is_a?(StepHandler::Result) || output.is_a?(CheckpointYield)
          return success(result: output) unless output.is_a?(Hash)

          flag = output.key?(:success) ? output[:success] : output['success']
          case flag
          when true
            success(result: field(output, :result) || output, metadata: field(output, :metadata) || {})
          when false
            error(message: field(output, :message) || 'Unknown error',
                  error_type: field(output, :error_type) || 'UnexpectedError',
                  error_code: field(output, :error_code), retryable: field(output, :retryable) || false,
                  metadata: field(output, :metadata) || {})
          else
            success(result: output)
          end
        end

        # An exception as the failure a handler would report for it.
        def from_exception(exception)
          metadata = {}
          if exception.is_a?(Errors::Error)
            metadata[:context] = exception.context unless exception.context.empty?
          else
            metadata[:exception_class] = exception.class.name
            metadata[:stack_trace] = Array(exception.backtrace).first(10).join("\n")
          end
          error(message: exception.message,
                error_type: exception.respond_to?(:error_type) ? exception.error_type : 'UnexpectedError',
                error_code: exception.respond_to?(:error_code) ? exception.error_code : nil,
                retryable: Errors::ErrorClassifier.retryable?(exception),
                retry_after: exception.respond_to?(:retry_after) ? exception.retry_after : nil,
                metadata: metadata)
        end

        private

        def field(hash, name)
          hash.key?(name) ? hash[name] : hash[name.to_s]
        end
      end
    end
  end
end
