# frozen_string_literal: true

module TaskerCore
  module Types
    # What a batchable step decides: no batches (one placeholder worker runs), or the batch workers
    # to create, one per cursor config. It goes in the step's result under batch_processing_outcome;
    # see docs/dynamic-workflows.md.
    module BatchProcessingOutcome
      NoBatches = Data.define do
        def type = 'no_batches'
        def requires_batch_creation? = false
        def to_h = { 'type' => type }
      end

      CreateBatches = Data.define(:worker_template_name, :worker_count, :cursor_configs, :total_items) do
        def type = 'create_batches'
        def requires_batch_creation? = true

        def to_h
          { 'type' => type, 'worker_template_name' => worker_template_name, 'worker_count' => worker_count,
            'cursor_configs' => cursor_configs, 'total_items' => total_items }
        end
      end

      class << self
        def no_batches
          NoBatches.new
        end

        def create_batches(worker_template_name:, worker_count:, cursor_configs:, total_items:)
          raise ArgumentError, 'worker_template_name cannot be empty' if worker_template_name.to_s.empty?
          raise ArgumentError, 'cursor_configs cannot be empty' if cursor_configs.nil? || cursor_configs.empty?
          if cursor_configs.size != worker_count
            raise ArgumentError,
                  "cursor_configs length (#{cursor_configs.size}) must equal worker_count (#{worker_count})"
          end
          raise ArgumentError, "total_items must be 0 or more, got #{total_items.inspect}" unless total_items.to_i >= 0

          CreateBatches.new(worker_template_name: worker_template_name, worker_count: worker_count,
                            cursor_configs: cursor_configs, total_items: total_items)
        end

        # The outcome a Hash describes; raises ArgumentError for one it cannot read.
        def from_hash(hash)
          raise ArgumentError, "Expected Hash, got #{hash.class}" unless hash.is_a?(Hash)

          hash = IndifferentHash.wrap(hash)
          case hash[:type]
          when 'no_batches' then no_batches
          when 'create_batches'
            create_batches(worker_template_name: hash[:worker_template_name], worker_count: hash[:worker_count],
                           cursor_configs: hash[:cursor_configs], total_items: hash[:total_items])
          else raise ArgumentError, "Unknown outcome type: #{hash[:type].inspect}"
          end
        end
      end
    end
  end
end
