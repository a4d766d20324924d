# frozen_string_literal: true

module TaskerCore
  module StepHandler
    module Mixins
      # tasker-core's batch-processing helpers (docs/dynamic-workflows.md): a batchable step returns
      # its outcome in its result, under batch_processing_outcome (create_batches_outcome,
      # no_batches_outcome, and the names tasker-core's guide uses, create_batches_success and
      # no_batches_success); each batch worker reads its cursor range and last checkpoint
      # (get_batch_context) and may save its progress and be run again from it (checkpoint_yield);
      # the convergence step finds the workers' results (detect_aggregation_scenario).
      module Batchable
        def capabilities
          super + %w[batchable batch_processing parallel_execution cursor_based deferred_convergence]
        end

        # The batch worker's cursor, from the step's inputs.
        def get_batch_context(context)
          BatchProcessing::BatchWorkerContext.from_step_data(context.workflow_step)
        end

        def detect_aggregation_scenario(dependency_results, analyzer_step_name, batch_worker_prefix)
          BatchProcessing::BatchAggregationScenario.detect(dependency_results, analyzer_step_name, batch_worker_prefix)
        end

        # An ancestor's result, or a value inside it. Called with a step context or its
        # dependency_results (tasker-core's sequence), both of which answer get_results.
        def get_dependency_result(sequence, step_name, *keys)
          result = sequence.get_results(step_name)
          keys.empty? ? result : result&.dig(*keys)
        end

        # A success for a placeholder worker that has nothing to do, or nil for a real one.
        def handle_no_op_worker(batch_context)
          return nil unless batch_context.no_op?

          success(result: { 'batch_id' => batch_context.batch_id, 'no_op' => true, 'processed_count' => 0 })
        end

        # worker_count cursor ranges that split total_items as the Java CursorConfig.ranges does:
        # 0-based, end exclusive, ceil(total_items / worker_count) items each (the last ones fewer,
        # none past the end), ids '001', '002', ... (wider past 999 workers). The block may change
        # each config (config, index).
        def create_cursor_configs(total_items, worker_count)
          raise ArgumentError, 'worker_count must be > 0' unless worker_count.positive?
          raise ArgumentError, "total_items must be 0 or more, got #{total_items}" if total_items.negative?

          per_worker = (total_items + worker_count - 1) / worker_count
          width = [3, worker_count.to_s.size].max
          (0...worker_count).map do |i|
            start = [i * per_worker, total_items].min
            stop = [start + per_worker, total_items].min
            config = { 'batch_id' => i.succ.to_s.rjust(width, '0'), 'start_cursor' => start, 'end_cursor' => stop,
                       'batch_size' => stop - start }
            yield(config, i) if block_given?
            config
          end
        end

        # The cursor ranges of tasker-core's guide: as create_cursor_configs, or, given a block, the
        # config it returns for (batch_index, start, end, items_in_batch) of each range.
        def generate_cursor_configs(total_items:, worker_count:)
          create_cursor_configs(total_items, worker_count).each_with_index.map do |config, i|
            next config unless block_given?

            yield(i, config['start_cursor'], config['end_cursor'], config['batch_size'])
          end
        end

        def no_batches_outcome(reason:, metadata: {})
          outcome = Types::BatchProcessingOutcome.no_batches
          success(result: { 'batch_processing_outcome' => outcome.to_h, 'reason' => reason }.merge(metadata))
        end

        def create_batches_outcome(worker_template_name:, cursor_configs:, total_items:, metadata: {})
          outcome = Types::BatchProcessingOutcome.create_batches(
            worker_template_name: worker_template_name, worker_count: cursor_configs.size,
            cursor_configs: cursor_configs, total_items: total_items
          )
          success(result: { 'batch_processing_outcome' => outcome.to_h, 'worker_count' => cursor_configs.size,
                            'total_items' => total_items }.merge(metadata))
        end

        # tasker-core guide's name for no_batches_outcome: its other keywords go in the result.
        def no_batches_success(reason:, **additional_data)
          no_batches_outcome(reason: reason, metadata: string_keys(additional_data))
        end

        # tasker-core guide's name for create_batches_outcome; worker_count, when given, must be the
        # number of cursor configs.
        def create_batches_success(worker_template_name:, cursor_configs:, total_items:, worker_count: nil,
                                   additional_data: {})
          if worker_count && worker_count != cursor_configs.size
            raise ArgumentError,
                  "cursor_configs length (#{cursor_configs.size}) must equal worker_count (#{worker_count})"
          end

          create_batches_outcome(worker_template_name: worker_template_name, cursor_configs: cursor_configs,
                                 total_items: total_items, metadata: string_keys(additional_data))
        end

        def batch_worker_success(items_processed:, items_succeeded:, items_failed: 0, items_skipped: 0,
                                 last_cursor: nil, results: nil, errors: nil, metadata: {})
          result = { 'items_processed' => items_processed, 'items_succeeded' => items_succeeded,
                     'items_failed' => items_failed, 'items_skipped' => items_skipped,
                     'last_cursor' => last_cursor, 'results' => results, 'errors' => errors }.compact
          success(result: result.merge(metadata), metadata: { batch_worker: true })
        end

        def checkpoint_yield(cursor:, items_processed:, accumulated_results: nil)
          Types::StepHandlerCallResult.checkpoint_yield(cursor: cursor, items_processed: items_processed,
                                                        accumulated_results: accumulated_results)
        end

        # The aggregation of no batches, with extra fields (given as metadata:, a Hash or keywords).
        def no_batches_aggregation_result(extra = {}, **fields)
          fields = extra.merge(fields.delete(:metadata) || {}).merge(fields)
          success(result: { 'worker_count' => 0, 'scenario' => 'no_batches' }.merge(fields))
        end

        def string_keys(hash)
          hash.to_h.transform_keys { |key| key.is_a?(Symbol) ? key.name : key }
        end
        private :string_keys

        # Yields the batch results to the block, which returns the aggregate.
        def aggregate_batch_worker_results(scenario, zero_metrics: {})
          return no_batches_aggregation_result(zero_metrics) if scenario.no_batches?

          success(result: yield(scenario.batch_results).merge('worker_count' => scenario.worker_count,
                                                             'scenario' => 'with_batches'))
        end
      end
    end
  end
end
