# frozen_string_literal: true

require 'test_helper'
require 'stringio'

# Domain events are not delivered yet: the classes load and register, and say so once.
class DomainEventsTest < Minitest::Test
  class AuditPublisher < TaskerCore::DomainEvents::BasePublisher
    def name = 'DomainEventsTest::AuditPublisher'
    def transform_payload(step_result, _declaration, _context = nil) = { 'id' => step_result[:result]['id'] }
  end

  class AuditSubscriber < TaskerCore::DomainEvents::BaseSubscriber
    subscribes_to 'payment.*'

    def handle(event) = (@seen ||= []) << event[:event_name]
  end

  def setup
    @previous = TaskerCore.logger
    @out = StringIO.new
    TaskerCore.logger = ::Logger.new(@out, formatter: ->(severity, _, _, message) { "#{severity} #{message}\n" })
    TaskerCore::DomainEvents::Delivery.instance_variable_set(:@warned, false)
  end

  def teardown
    TaskerCore.logger = @previous
    TaskerCore::DomainEvents::PublisherRegistry.instance.reset!
    TaskerCore::DomainEvents::SubscriberRegistry.instance.reset!
  end

  def test_registering_warns_once_that_events_are_not_delivered
    TaskerCore::DomainEvents::PublisherRegistry.instance.register(AuditPublisher.new)
    TaskerCore::DomainEvents::SubscriberRegistry.instance.register(AuditSubscriber)

    assert_equal ['WARN Domain event publisher DomainEventsTest::AuditPublisher registered, but this worker does ' \
                  'not deliver domain events yet: publishers and subscribers are not called'], @out.string.lines.map(&:chomp)
  end

  def test_the_registries_keep_what_is_registered
    publishers = TaskerCore::DomainEvents::PublisherRegistry.instance
    publishers.register(AuditPublisher.new)

    assert publishers.registered?('DomainEventsTest::AuditPublisher')
    assert_raises(TaskerCore::DomainEvents::PublisherRegistry::DuplicatePublisherError) do
      publishers.register(AuditPublisher.new)
    end
    assert_equal 'default', publishers.get_or_default('nope').name
    assert_raises(TaskerCore::DomainEvents::PublisherNotFoundError) { publishers.get_strict('nope') }
    subscribers = TaskerCore::DomainEvents::SubscriberRegistry.instance
    subscriber = subscribers.register(AuditSubscriber)
    assert_equal 1, subscribers.count
    assert subscriber.subscribed_to?('payment.processed')
    refute subscriber.subscribed_to?('order.created')
  end

  def test_a_publisher_runs_its_hooks_when_called
    assert AuditPublisher.new.publish(event_name: 'payment.processed', step_result: { result: { 'id' => 1 } })
  end
end
