# frozen_string_literal: true

module Examples
  module CsvBatch
    # A batch worker: counts the rows of its cursor range, checkpoint_interval rows per run. After
    # each such slice short of the end it yields a checkpoint (the next row and the totals so far)
    # and is run again from it, so a retry or another worker after a crash resumes there. The
    # placeholder worker of a task with no batches has nothing to count.
    class ProcessCsvBatchHandler < TaskerCore::StepHandler::Batchable
      def call(context)
        batch_ctx = get_batch_context(context)
        no_op_result = handle_no_op_worker(batch_ctx)
        return no_op_result if no_op_result

        if batch_ctx.has_checkpoint?
          from = batch_ctx.checkpoint_cursor
          totals = Totals.of(batch_ctx.accumulated_results)
        else
          from = batch_ctx.start_cursor
          totals = Totals.new
        end
        interval = batch_ctx.batch_metadata['checkpoint_interval'] || 100
        to = [batch_ctx.end_cursor, from + interval].min
        totals.add_rows(from, to)
        if to < batch_ctx.end_cursor
          return checkpoint_yield(cursor: to, items_processed: totals.processed_count,
                                  accumulated_results: totals.to_h)
        end

        success(result: totals.to_h.merge('batch_id' => batch_ctx.batch_id))
      end
    end
  end
end
