# frozen_string_literal: true

require 'json'
require 'singleton'

module TaskerCore
  # tasker-core's logger, for handlers written against it: TaskerCore::Logger.instance.info(...)
  # and the structured log_step(:warn, 'operation', key: value, ...) family. Every line goes to
  # TaskerCore.logger (read at each call, so replacing that logger redirects these lines too).
  #
  #   logger.log_step(:info, 'charged', step_uuid: step_uuid, amount: 12)
  #   # => "step_operation: charged {"step_uuid":"...","amount":12}"
  class Logger
    include Singleton

    LEVELS = %i[debug info warn error fatal unknown].freeze

    LEVELS.each do |level|
      define_method(level) do |message = nil, &block|
        TaskerCore.logger.public_send(level, message, &block)
      end

      define_method(:"#{level}?") { TaskerCore.logger.public_send(:"#{level}?") } unless level == :unknown
    end

    def level
      TaskerCore.logger.level
    end

    # tasker-core's structured lines: one per component, each with an operation and fields.
    { log_task: 'task_operation', log_orchestrator: 'orchestrator', log_step: 'step_operation',
      log_database: 'database', log_config: 'config' }.each do |name, component|
      define_method(name) { |level, operation, **data| structured(level, component, operation, data) }
    end

    def log_queue_worker(level, operation, namespace: nil, **data)
      structured(level, 'queue_worker', operation, { namespace: namespace }.compact.merge(data))
    end

    def log_ffi(level, operation, component: nil, **data)
      structured(level, component || 'ffi', operation, data)
    end

    def log_registry(level, operation, namespace: nil, name: nil, **data)
      structured(level, 'registry', operation, { namespace: namespace, handler_name: name }.compact.merge(data))
    end

    # A line "component: operation {fields as JSON}" (no "component: " when it is nil); the JSON
    # is built only if the line is logged.
    def structured(level, component, operation, data)
      level = level.to_sym
      unless LEVELS.include?(level)
        raise ArgumentError, "unknown log level #{level.inspect} (known: #{LEVELS.join(', ')})"
      end

      TaskerCore.logger.public_send(level) do
        line = component ? "#{component}: #{operation}" : operation.to_s
        data.empty? ? line : "#{line} #{fields_text(data)}"
      end
    end

    private

    def fields_text(data)
      JSON.generate(data)
    rescue JSON::GeneratorError, EncodingError
      data.inspect
    end
  end
end
