# frozen_string_literal: true

module Examples
  module CsvBatch
    # The deferred convergence step: adds up the results of every worker the batch created (its
    # dependency results, process_csv_batch_001, ...). With no batches the only one is the
    # placeholder, and the totals are zero.
    class AggregateCsvResultsHandler < TaskerCore::StepHandler::Batchable
      def call(context)
        scenario = detect_aggregation_scenario(context.dependency_results, 'analyze_csv', 'process_csv_batch_')
        totals = Totals.new
        workers = 0
        scenario.batch_results.each_value do |result|
          next if result['no_op']

          totals.add(result)
          workers += 1
        end
        success(result: totals.to_h.merge('worker_count' => workers))
      end
    end
  end
end
