# frozen_string_literal: true

require 'test_helper'

class PublisherTest < Minitest::Test
  class Bus
    include TaskerCore::Events::Publisher

    def initialize
      register_event('a')
      register_event('b')
    end
  end

  def setup
    @bus = Bus.new
  end

  def test_delivers_payloads_to_listeners_of_the_event_in_order
    received = []
    @bus.subscribe('a') { |p| received << [:first, p] }
    @bus.subscribe('a') { |p| received << [:second, p] }
    @bus.subscribe('b') { |p| received << [:other, p] }

    @bus.publish('a', 1)

    assert_equal [[:first, 1], [:second, 1]], received
  end

  def test_unsubscribed_listeners_receive_nothing
    received = []
    subscription = @bus.subscribe('a') { |p| received << p }
    subscription.unsubscribe

    @bus.publish('a', 1)

    assert_empty received
    assert_empty @bus.subscriptions('a')
  end

  def test_unknown_events_are_refused
    error = assert_raises(ArgumentError) { @bus.subscribe('c') { nil } }
    assert_equal 'unknown event "c" (known: a, b)', error.message
    assert_raises(ArgumentError) { @bus.publish('c', 1) }
  end

  def test_a_failing_listener_does_not_stop_the_others_and_its_error_is_raised_after
    received = []
    @bus.subscribe('a') { raise 'first fails' }
    @bus.subscribe('a') { |p| received << p }

    error = assert_raises(RuntimeError) { @bus.publish('a', :x) }

    assert_equal 'first fails', error.message
    assert_equal [:x], received
  end

  def test_listeners_coming_and_going_on_other_threads_never_disturb_a_stable_listener
    received = Queue.new
    @bus.subscribe('a') { |p| received << p }
    churn = 4.times.map do
      Thread.new { 300.times { @bus.subscribe('a') { nil }.unsubscribe } }
    end
    publishers = 4.times.map do |t|
      Thread.new { 300.times { |i| @bus.publish('a', [t, i]) } }
    end
    (churn + publishers).each(&:join)

    assert_equal 1200, received.size
    assert_equal 1, @bus.subscriptions('a').size
  end
end
