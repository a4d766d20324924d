# frozen_string_literal: true

# The Ruby handlers of the examples_ruby templates: the same workflows as the Java examples, step
# for step and result for result, so the two can be compared end to end.

require 'tasker_core'
require 'examples/math/value'
require 'examples/math/square_step'
require 'examples/math/multiply_step'
require 'examples/orders/order'
require 'examples/orders/validate_order'
require 'examples/orders/reserve_inventory'
require 'examples/orders/process_payment'
require 'examples/orders/ship_order'
# Approval routing as tasker-core's example writes it (ConditionalApproval::StepHandlers), unchanged.
require 'examples/conditional_approval/validate_request_handler'
require 'examples/conditional_approval/routing_decision_handler'
require 'examples/conditional_approval/approval_handlers'
require 'examples/conditional_approval/finalize_approval_handler'
require 'examples/csv_batch/totals'
require 'examples/csv_batch/analyze_csv_handler'
require 'examples/csv_batch/process_csv_batch_handler'
require 'examples/csv_batch/aggregate_csv_results_handler'
