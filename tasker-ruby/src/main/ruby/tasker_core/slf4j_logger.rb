# frozen_string_literal: true

require 'java'
require 'logger'

module TaskerCore
  # A Logger that writes through SLF4J, for the Ruby layer inside a Java process (tasker dev,
  # tasker worker): its lines then look like the Java side's, go where those go and follow the
  # same level settings. Not loaded by default; a program under plain JRuby keeps its Logger.
  #
  #   require 'tasker_core/slf4j_logger'
  #   TaskerCore.logger = TaskerCore::Slf4jLogger.new('io.tasker.ruby.TaskerCore')
  class Slf4jLogger < ::Logger
    def initialize(name)
      super(nil, progname: name)
      @target = Java::OrgSlf4j::LoggerFactory.getLogger(name)
      self.level = enabled_level
    end

    # The level set here, without ::Logger's lookup of a per-fiber override: every step asks it a
    # few times (logger.debug), and nothing here overrides it per fiber.
    def level
      @level
    end

    def add(severity, message = nil, progname = nil)
      severity ||= UNKNOWN
      return true if severity < level

      message = block_given? ? yield : progname if message.nil?
      write(severity, message.is_a?(Exception) ? "#{message.class}: #{message.message}" : message.to_s)
      true
    end
    alias log add

    private

    def write(severity, text)
      case severity
      when DEBUG then @target.debug(text)
      when INFO then @target.info(text)
      when WARN then @target.warn(text)
      else @target.error(text)
      end
    end

    # The lowest level SLF4J lets through, so a block for a dropped debug line is never run.
    def enabled_level
      if @target.debug_enabled? then DEBUG
      elsif @target.info_enabled? then INFO
      elsif @target.warn_enabled? then WARN
      else ERROR
      end
    end
  end
end
