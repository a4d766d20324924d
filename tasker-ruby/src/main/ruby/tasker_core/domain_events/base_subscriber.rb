# frozen_string_literal: true

module TaskerCore
  module DomainEvents
    # tasker-core's domain-event subscriber: `subscribes_to 'payment.*'` and a handle(event).
    # Not called by this worker yet (see Delivery).
    class BaseSubscriber
      class << self
        def subscribes_to(*patterns)
          @patterns = patterns.flatten.map(&:to_s)
        end

        def patterns
          @patterns || ['*']
        end
      end

      attr_reader :logger, :active

      def initialize
        @logger = TaskerCore::Logger.instance
        @active = false
      end

      def start!
        @active = true
        self
      end

      def stop!
        @active = false
        self
      end

      def active?
        @active
      end

      # Whether event_name matches one of the class's patterns ('*' matches within a segment).
      def subscribed_to?(event_name)
        self.class.patterns.any? do |pattern|
          pattern == '*' || File.fnmatch?(pattern, event_name.to_s)
        end
      end

      def handle(_event)
        raise NotImplementedError, "#{self.class} must implement #handle"
      end

      def before_handle(_event)
        true
      end

      def after_handle(_event); end

      def on_handle_error(event, error)
        logger.error "#{self.class.name} failed on #{event[:event_name]}: #{error.class}: #{error.message}"
      end

      # Calls handle with the hooks around it; an error goes to on_handle_error, not to the caller.
      def handle_event_safely(event)
        return unless before_handle(event)

        handle(event)
        after_handle(event)
      rescue StandardError => e
        on_handle_error(event, e)
      end
    end
  end
end
