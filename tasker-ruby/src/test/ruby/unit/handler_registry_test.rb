# frozen_string_literal: true

require 'test_helper'

module RegistryTestHandlers
  class Charge < TaskerCore::StepHandler::Base
    namespace 'billing'
    def call(_context) = {}
  end

  class Ship < TaskerCore::StepHandler::Base
    callable 'shipping.ship'
    namespace 'shipping'
    def call(_context) = {}
  end

  class NotAHandler
  end
end

class HandlerRegistryTest < Minitest::Test
  def setup
    @registry = TaskerCore::Registry::HandlerRegistry.instance
  end

  def teardown
    %w[custom RegistryTestHandlers::Charge shipping.ship registry_test.late].each { |c| @registry.unregister(c) }
  end

  def test_handlers_lists_a_handler_class_defined_after_the_registry_looked
    @registry.bootstrap_handlers!
    refute @registry.handlers.key?('registry_test.late')

    RegistryTestHandlers.module_eval <<~RUBY, __FILE__, __LINE__ + 1
      class Late < TaskerCore::StepHandler::Base
        callable 'registry_test.late'
        def call(_context) = {}
      end
    RUBY

    assert_equal RegistryTestHandlers::Late, @registry.handlers['registry_test.late']
  end

  def test_bootstrap_handlers_registers_every_loaded_handler_under_its_callable
    count = @registry.bootstrap_handlers!

    assert_equal RegistryTestHandlers::Charge, @registry.handlers['RegistryTestHandlers::Charge']
    assert_equal RegistryTestHandlers::Ship, @registry.handlers['shipping.ship']
    assert_equal @registry.handlers.size, count
    assert_includes @registry.registered_handlers, RegistryTestHandlers::Ship
    assert_includes @registry.namespaces, 'billing'
    assert_includes @registry.namespaces, 'shipping'
  end

  def test_register_and_resolve
    @registry.register('custom', RegistryTestHandlers::Ship)

    assert_equal RegistryTestHandlers::Ship, @registry.resolve('custom')
    assert_equal RegistryTestHandlers::Ship, @registry.resolve(:custom)
    assert @registry.registered?('custom')
    assert_nil @registry.resolve('nothing.here')
  end

  def test_a_handler_class_resolves_by_its_name_without_registration
    @registry.unregister('RegistryTestHandlers::Charge')

    assert_equal RegistryTestHandlers::Charge, @registry.resolve('RegistryTestHandlers::Charge')
    assert_equal RegistryTestHandlers::Charge, @registry.handlers['RegistryTestHandlers::Charge']
  end

  def test_names_that_are_not_handler_classes_do_not_resolve
    assert_nil @registry.resolve('RegistryTestHandlers::NotAHandler')
    assert_nil @registry.resolve('RegistryTestHandlers::Missing')
    assert_nil @registry.resolve('io.tasker.examples.JavaHandler')
    assert_nil @registry.resolve('Kernel')
  end

  def test_register_refuses_what_cannot_run_a_step
    assert_raises(ArgumentError) { @registry.register('x', RegistryTestHandlers::NotAHandler) }
    assert_raises(ArgumentError) { @registry.register('x', RegistryTestHandlers::Charge.new) }
    assert_raises(ArgumentError) { @registry.register('', RegistryTestHandlers::Charge) }
  end
end
