# frozen_string_literal: true

module TaskerCore
  module BatchProcessing
    # What an aggregator step found among its ancestors: the analyzer's result and the results
    # of the batch workers (steps whose name starts with the workers' prefix), if any ran.
    class BatchAggregationScenario
      attr_reader :type, :batchable_result, :batch_results, :worker_count

      def self.detect(dependency_results, batchable_step_name, batch_worker_prefix)
        new(dependency_results, batchable_step_name, batch_worker_prefix)
      end

      def initialize(dependency_results, batchable_step_name, batch_worker_prefix)
        @batchable_result = dependency_results.get_results(batchable_step_name)
        @batch_results = dependency_results.keys.select { |name| name.to_s.start_with?(batch_worker_prefix) }
                                           .to_h { |name| [name, dependency_results.get_results(name)] }
        @worker_count = @batch_results.size
        @type = @batch_results.empty? ? :no_batches : :with_batches
      end

      def no_batches?
        @type == :no_batches
      end

      def with_batches?
        @type == :with_batches
      end
    end
  end
end
