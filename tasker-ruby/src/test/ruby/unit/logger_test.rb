# frozen_string_literal: true

require 'test_helper'
require 'stringio'

# TaskerCore::Logger, tasker-core's logger, next to TaskerCore.logger, which it writes to.
class LoggerTest < Minitest::Test
  class Chatty < TaskerCore::StepHandler::Base
    def call(_context)
      logger.info 'charging'
      logger.log_step(:warn, 'charge_slow', step_uuid: 'u-1', elapsed_ms: 1200, gateway: :acme)
      {}
    end
  end

  def setup
    @previous = TaskerCore.logger
    @out = StringIO.new
    TaskerCore.logger = ::Logger.new(@out, level: :debug, formatter: ->(severity, _, _, message) { "#{severity} #{message}\n" })
  end

  def teardown
    TaskerCore.logger = @previous
  end

  def lines
    @out.string.lines.map(&:chomp)
  end

  def test_the_logger_is_tasker_cores_singleton
    assert_kind_of Class, TaskerCore::Logger
    assert_same TaskerCore::Logger.instance, TaskerCore::Logger.instance
    assert_same TaskerCore::Logger.instance, Chatty.new.logger
    assert_same TaskerCore::Logger.instance, TaskerCore::TaskHandler::Base.new.logger
  end

  def test_plain_and_structured_lines_go_to_tasker_core_logger
    log = TaskerCore::Logger.instance
    log.info 'plain'
    log.debug { 'from a block' }
    log.error 'bad'
    log.log_task(:info, 'task_started', task_uuid: 't-1')
    log.log_registry(:debug, 'registered', namespace: 'billing', name: 'Charge')
    log.log_ffi(:warn, 'slow_call', component: 'bridge')
    TaskerCore::Tracing.info('traced', { operation: 'x' })

    assert_equal ['INFO plain', 'DEBUG from a block', 'ERROR bad',
                  'INFO task_operation: task_started {"task_uuid":"t-1"}',
                  'DEBUG registry: registered {"namespace":"billing","handler_name":"Charge"}',
                  'WARN bridge: slow_call', 'INFO traced {"operation":"x"}'], lines
  end

  def test_a_handler_logs_through_it
    Chatty.new.call(nil)

    assert_equal ['INFO charging',
                  'WARN step_operation: charge_slow {"step_uuid":"u-1","elapsed_ms":1200,"gateway":"acme"}'], lines
  end

  def test_levels_follow_tasker_core_logger_and_an_unknown_level_is_refused
    TaskerCore.logger.level = :warn
    TaskerCore::Logger.instance.log_step(:info, 'dropped', a: 1)

    assert_empty lines
    assert_equal ::Logger::WARN, TaskerCore::Logger.instance.level
    refute TaskerCore::Logger.instance.info?
    assert_raises(ArgumentError) { TaskerCore::Logger.instance.log_step(:loud, 'x') }
  end

  # TaskerCore::Logger once shadowed ::Logger inside the module and broke startup; a fresh
  # runtime proves require 'tasker_core' works with both defined.
  def test_a_fresh_runtime_starts_with_tasker_core_logger_defined
    config = org.jruby.RubyInstanceConfig.new
    config.loader = Java::IoTaskerRuby::RubyRuntime.java_class.class_loader
    config.load_paths = [Java::IoTaskerRuby::RubyRuntime::CLASSPATH_LOAD_PATH]
    config.hard_exit = false
    runtime = org.jruby.Ruby.new_instance(config)
    begin
      answer = runtime.eval_scriptlet(<<~RUBY).to_s
        require 'tasker_core'
        [TaskerCore::Logger.instance.class.name, TaskerCore.logger.class.name,
         TaskerCore::Worker::EventBridge.instance.active?].join(' ')
      RUBY
      assert_equal 'TaskerCore::Logger Logger true', answer
    ensure
      runtime.tear_down(false)
    end
  end
end
