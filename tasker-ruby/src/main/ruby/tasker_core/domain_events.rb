# frozen_string_literal: true

require 'tasker_core/domain_events/delivery'
require 'tasker_core/domain_events/base_publisher'
require 'tasker_core/domain_events/publisher_registry'
require 'tasker_core/domain_events/base_subscriber'
require 'tasker_core/domain_events/subscriber_registry'
