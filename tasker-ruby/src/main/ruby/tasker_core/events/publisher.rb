# frozen_string_literal: true

module TaskerCore
  module Events
    # A small, thread-safe publish/subscribe for a fixed set of event names, standing in for
    # dry-events. Listeners run synchronously on the publishing thread, in subscription order.
    #
    # Subscribing is rare and publishing is hot: the table of listeners is a frozen Hash of frozen
    # Arrays, replaced whole under a lock (copy on write), so publish reads it without locking.
    module Publisher
      # Declares an event name; publishing or subscribing to an undeclared name raises.
      def register_event(event)
        publisher_lock.synchronize do
          replace_listeners(event, []) unless listeners.key?(event)
        end
        self
      end

      def registered_events
        listeners.keys
      end

      # Calls the block with each payload published under event; returns a Subscription.
      def subscribe(event, &listener)
        raise ArgumentError, 'subscribe needs a block' unless listener

        subscription = Subscription.new(self, event, listener)
        publisher_lock.synchronize do
          current = listeners.fetch(event) { raise ArgumentError, unknown_event_message(event) }
          replace_listeners(event, current + [subscription])
        end
        subscription
      end

      def unsubscribe(subscription)
        publisher_lock.synchronize do
          current = listeners[subscription.event]
          replace_listeners(subscription.event, current - [subscription]) if current
        end
        nil
      end

      # The current subscriptions of event.
      def subscriptions(event)
        listeners.fetch(event) { raise ArgumentError, unknown_event_message(event) }
      end

      # Calls every listener of event with payload. A listener that raises does not keep the
      # others from running; the first error is raised once all have run.
      def publish(event, payload)
        first_error = nil
        subscriptions(event).each do |subscription|
          subscription.call(payload)
        rescue StandardError => e
          first_error ||= e
        end
        raise first_error if first_error

        payload
      end

      private

      def listeners
        @listeners || {}
      end

      def replace_listeners(event, subscriptions)
        @listeners = listeners.merge(event => subscriptions.freeze).freeze
      end

      # Created on the first register_event, which the including class calls while it is being
      # set up, before any other thread can see it.
      def publisher_lock
        @publisher_lock ||= Mutex.new
      end

      def unknown_event_message(event)
        "unknown event #{event.inspect} (known: #{registered_events.join(', ')})"
      end
    end
  end
end
