# frozen_string_literal: true

module TaskerCore
  class << self
    # The logger every TaskerCore class writes to. LOG_LEVEL (debug, info, warn, error) sets its
    # level; replace it with TaskerCore.logger = your_logger.
    def logger
      @logger ||= ::Logger.new($stdout, level: ENV.fetch('LOG_LEVEL', 'info'), progname: 'tasker_core')
    end

    attr_writer :logger
  end
end
