# frozen_string_literal: true

module TaskerCore
  module DomainEvents
    # tasker-core's registry of custom publishers, by name. Not called by this worker yet (see Delivery).
    class PublisherRegistry
      include Singleton

      class ValidationError < StandardError
        attr_reader :missing_publishers, :registered_publishers

        def initialize(missing, registered)
          @missing_publishers = missing
          @registered_publishers = registered
          super("Missing publishers: #{missing.join(', ')} (registered: #{registered.join(', ')})")
        end
      end

      class PublisherNotFoundError < StandardError
        attr_reader :publisher_name, :registered_publishers

        def initialize(name, registered)
          @publisher_name = name
          @registered_publishers = registered
          super("Publisher not found: #{name} (registered: #{registered.join(', ')})")
        end
      end

      class RegistryFrozenError < StandardError; end

      class DuplicatePublisherError < StandardError
        attr_reader :publisher_name

        def initialize(name)
          @publisher_name = name
          super("Publisher already registered: #{name}")
        end
      end

      # Publishes the step's result as the event's payload.
      class DefaultPublisher < BasePublisher
        def name
          'default'
        end
      end

      attr_reader :publishers, :default_publisher

      def initialize
        @lock = Mutex.new
        @publishers = {}
        @default_publisher = DefaultPublisher.new
        @frozen = false
      end

      def register(publisher)
        raise ArgumentError, "Expected BasePublisher, got #{publisher.class}" unless publisher.is_a?(BasePublisher)

        @lock.synchronize do
          raise RegistryFrozenError, 'Registry is frozen after validation' if @frozen
          raise DuplicatePublisherError, publisher.name if @publishers.key?(publisher.name)

          @publishers = @publishers.merge(publisher.name => publisher)
        end
        Delivery.warn_not_delivered("Domain event publisher #{publisher.name}")
        publisher
      end

      def get(name)
        @publishers[name]
      end

      def get_or_default(name)
        (name && @publishers[name]) || @default_publisher
      end

      def get_strict(name)
        @publishers[name] || raise(PublisherNotFoundError.new(name, registered_names))
      end

      def registered?(name)
        @publishers.key?(name)
      end

      def registered_names
        @publishers.keys
      end

      def count
        @publishers.size
      end

      def empty?
        @publishers.empty?
      end

      def unregister(name)
        @lock.synchronize do
          raise RegistryFrozenError, 'Registry is frozen after validation' if @frozen

          @publishers = @publishers.except(name)
        end
      end

      def clear
        @lock.synchronize do
          raise RegistryFrozenError, 'Registry is frozen after validation' if @frozen

          @publishers = {}
        end
      end

      # Raises ValidationError unless every name in required_publishers is registered; then freezes.
      def validate_required!(required_publishers)
        missing = Array(required_publishers).map(&:to_s).reject { |name| name == 'default' || registered?(name) }
        raise ValidationError.new(missing, registered_names) if missing.any?

        freeze!
        true
      end

      def frozen?
        @frozen
      end

      def freeze!
        @frozen = true
        self
      end

      def reset!
        @lock.synchronize do
          @frozen = false
          @publishers = {}
        end
        self
      end
    end

    DefaultPublisher = PublisherRegistry::DefaultPublisher
    ValidationError = PublisherRegistry::ValidationError
    PublisherNotFoundError = PublisherRegistry::PublisherNotFoundError
    RegistryFrozenError = PublisherRegistry::RegistryFrozenError
  end
end
