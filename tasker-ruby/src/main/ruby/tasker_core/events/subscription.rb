# frozen_string_literal: true

module TaskerCore
  module Events
    # What Publisher#subscribe returns: call #unsubscribe to stop receiving the event.
    class Subscription
      attr_reader :event

      def initialize(publisher, event, listener)
        @publisher = publisher
        @event = event
        @listener = listener
      end

      def call(payload)
        @listener.call(payload)
      end

      def unsubscribe
        @publisher.unsubscribe(self)
      end
    end
  end
end
