# frozen_string_literal: true

module Examples
  module CsvBatch
    # The batchable step: splits the task's rows into ceil(rows / batch_size) cursor ranges, one
    # process_csv_batch worker each (batch_size from the context, else the handler's
    # initialization). A file with no rows needs no batches.
    class AnalyzeCsvHandler < TaskerCore::StepHandler::Batchable
      WORKER_TEMPLATE = 'process_csv_batch'
      MAX_BATCHES = 100_000

      def call(context)
        rows = whole_number(context.get_input('rows'), 'context.rows', 0)
        given_size = context.get_input('batch_size')
        batch_size = if given_size.nil?
                       whole_number(context.get_config('batch_size'), "the handler's initialization batch_size", 1)
                     else
                       whole_number(given_size, 'context.batch_size', 1)
                     end
        return no_batches_success(reason: 'no_rows', rows: rows, batch_size: batch_size) if rows.zero?

        worker_count = (rows + batch_size - 1) / batch_size
        if worker_count > MAX_BATCHES
          raise TaskerCore::Errors::PermanentError,
                "#{rows} rows in batches of #{batch_size} make #{worker_count} batches; at most #{MAX_BATCHES} " \
                "are allowed: give a batch_size of at least #{(rows + MAX_BATCHES - 1) / MAX_BATCHES}"
        end

        create_batches_success(
          worker_template_name: WORKER_TEMPLATE,
          worker_count: worker_count,
          cursor_configs: generate_cursor_configs(total_items: rows, worker_count: worker_count),
          total_items: rows,
          additional_data: { 'rows' => rows, 'batch_size' => batch_size }
        )
      end

      private

      def whole_number(value, name, minimum)
        return value if value.is_a?(Integer) && value >= minimum

        raise TaskerCore::Errors::PermanentError,
              "#{name} must be a whole number of #{minimum} or more, as in " \
              "{\"rows\": 1000000, \"batch_size\": 10000}; got #{value.inspect}"
      end
    end
  end
end
