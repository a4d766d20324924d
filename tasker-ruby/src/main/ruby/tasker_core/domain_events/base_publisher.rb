# frozen_string_literal: true

module TaskerCore
  module DomainEvents
    # tasker-core's custom domain-event publisher. Not called by this worker yet (see Delivery).
    class BasePublisher
      attr_reader :logger

      def initialize
        @logger = TaskerCore::Logger.instance
      end

      def name
        raise NotImplementedError, "#{self.class} must implement #name"
      end

      def transform_payload(step_result, _event_declaration, _step_context = nil)
        step_result[:result] || {}
      end

      def should_publish?(_step_result, _event_declaration, _step_context = nil)
        true
      end

      def additional_metadata(_step_result, _event_declaration, _step_context = nil)
        {}
      end

      def before_publish(event_name, _payload, _metadata)
        logger.debug "Publishing event: #{event_name}"
      end

      def after_publish(event_name, _payload, _metadata)
        logger.debug "Event published: #{event_name}"
      end

      def on_publish_error(event_name, error, _payload)
        logger.error "Failed to publish event #{event_name}: #{error.message}"
      end

      # Runs the hooks for one event (ctx: event_name:, step_result:, event_declaration:,
      # step_context:); returns whether it would be published. Nothing is sent anywhere.
      def publish(ctx)
        event_name = ctx[:event_name]
        step_result = ctx[:step_result]
        declaration = ctx[:event_declaration] || {}
        step_context = ctx[:step_context]
        return false unless should_publish?(step_result, declaration, step_context)

        payload = transform_payload(step_result, declaration, step_context)
        metadata = { publisher: name, published_at: Time.now.utc.iso8601 }
                   .merge(additional_metadata(step_result, declaration, step_context))
        begin
          before_publish(event_name, payload, metadata)
          after_publish(event_name, payload, metadata)
          true
        rescue StandardError => e
          on_publish_error(event_name, e, payload)
          false
        end
      end
    end
  end
end
