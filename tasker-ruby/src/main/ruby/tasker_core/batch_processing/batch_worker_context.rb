# frozen_string_literal: true

module TaskerCore
  module BatchProcessing
    # A batch worker's cursor range, read from its step's inputs (cursor, batch_metadata,
    # is_no_op) as a batchable step's outcome creates them, and its last checkpoint. A step that is
    # not a batch worker has no cursor: reading its context raises ArgumentError.
    class BatchWorkerContext
      attr_reader :cursor, :batch_metadata, :checkpoint

      def self.from_step_data(workflow_step)
        new(workflow_step)
      end

      def initialize(workflow_step)
        inputs = IndifferentHash.wrap(workflow_step.inputs || {})
        @is_no_op = inputs[:is_no_op] == true
        @checkpoint = IndifferentHash.wrap(workflow_step.checkpoint || {})
        @cursor = @is_no_op ? IndifferentHash.new : IndifferentHash.wrap(inputs[:cursor] || {})
        @batch_metadata = @is_no_op ? IndifferentHash.new : IndifferentHash.wrap(inputs[:batch_metadata] || {})
        validate_cursor! unless @is_no_op
      end

      def start_cursor = cursor[:start_cursor].to_i
      def end_cursor = cursor[:end_cursor].to_i
      def batch_id = cursor[:batch_id] || 'unknown'

      def no_op?
        @is_no_op
      end
      alias is_no_op no_op?

      def checkpoint_cursor = checkpoint[:cursor]
      def accumulated_results = checkpoint[:accumulated_results]
      def checkpoint_items_processed = checkpoint[:items_processed] || 0

      def has_checkpoint? # rubocop:disable Naming/PredicateName
        !checkpoint_cursor.nil?
      end

      private

      def validate_cursor!
        raise ArgumentError, 'Missing cursor configuration' if cursor.empty?
        raise ArgumentError, 'Missing batch_id' unless cursor[:batch_id]

        %i[start_cursor end_cursor].each { |key| raise ArgumentError, "Missing #{key}" unless cursor.key?(key) }
        from = cursor[:start_cursor]
        to = cursor[:end_cursor]
        return unless from.is_a?(Integer) || to.is_a?(Integer)
        raise ArgumentError, "Mixed cursor types not allowed: start=#{from.class}, end=#{to.class}" unless
          from.is_a?(Integer) && to.is_a?(Integer)
        raise ArgumentError, "start_cursor must be non-negative, got #{from}" if from.negative?
        raise ArgumentError, "start_cursor (#{from}) must be <= end_cursor (#{to})" if from > to
      end
    end
  end
end
