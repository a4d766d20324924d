# frozen_string_literal: true

module TaskerCore
  # tasker-core's structured logging calls, TaskerCore::Tracing.info('message', { key: value }),
  # written to TaskerCore.logger through TaskerCore::Logger.
  class Tracing
    class << self
      %i[error warn info debug].each do |level|
        define_method(level) do |message, fields = {}|
          TaskerCore::Logger.instance.structured(level, nil, message, fields.to_h)
        end
      end

      def trace(message, fields = {})
        debug(message, fields)
      end
    end
  end
end
