# frozen_string_literal: true

module TaskerCore
  module DomainEvents
    # tasker-core's registry of domain-event subscribers. Not called by this worker yet (see Delivery).
    class SubscriberRegistry
      include Singleton

      attr_reader :subscribers

      def initialize
        @lock = Mutex.new
        @subscribers = []
        @started = false
      end

      def register(subscriber_class)
        unless subscriber_class.is_a?(Class) && subscriber_class < BaseSubscriber
          raise ArgumentError, "#{subscriber_class} must be a subclass of BaseSubscriber"
        end

        register_instance(subscriber_class.new)
      end

      def register_instance(subscriber)
        raise ArgumentError, "Expected BaseSubscriber, got #{subscriber.class}" unless subscriber.is_a?(BaseSubscriber)

        Delivery.warn_not_delivered("Domain event subscriber #{subscriber.class.name}")
        @lock.synchronize { @subscribers += [subscriber] }
        subscriber.start! if @started
        subscriber
      end

      def start_all!
        @started = true
        @subscribers.each(&:start!)
        self
      end

      def stop_all!
        @started = false
        @subscribers.each(&:stop!)
        self
      end

      def started?
        @started
      end

      def count
        @subscribers.size
      end

      def stats
        { started: @started, subscriber_count: count, active_count: @subscribers.count(&:active?),
          subscribers: @subscribers.map { |s| { class: s.class.name, patterns: s.class.patterns, active: s.active? } } }
      end

      def reset!
        stop_all!
        @lock.synchronize { @subscribers = [] }
        self
      end
    end
  end
end
