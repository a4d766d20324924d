# frozen_string_literal: true

module TaskerCore
  module DomainEvents
    # This worker does not deliver domain events yet. Publishers and subscribers register and run
    # their own code when called, but nothing calls them: the first registration says so, once.
    module Delivery
      @warned = false
      @lock = Mutex.new

      def self.warn_not_delivered(what)
        @lock.synchronize do
          return if @warned

          @warned = true
        end
        TaskerCore.logger.warn "#{what} registered, but this worker does not deliver domain events yet: " \
                               'publishers and subscribers are not called'
      end
    end
  end
end
