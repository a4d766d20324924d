# frozen_string_literal: true

require 'monitor'

module TaskerCore
  module Worker
    # Starts and stops the whole worker from Ruby: the Ruby components (handler registry, event
    # bridge, step subscriber) and, through TaskerCore::FFI, the Java foundation that claims steps.
    #
    #   TaskerCore::Worker::Bootstrap.start!(namespaces: ['billing'], database_url: 'postgresql://...')
    #   sleep 1 while TaskerCore::Worker::Bootstrap.instance.running?
    #
    # Options go to TaskerCore::FFI.bootstrap_worker, except trap_signals (default true: INT and
    # TERM shut the worker down gracefully), which only this class reads.
    #
    # Started without options, as tasker-core's worker is, it reads the environment: the database
    # from TASKER_DATABASE_URL, else DATABASE_URL; the environment name from TASKER_ENV; and the
    # templates to register from TASKER_TEMPLATE_PATH (files or folders, separated by ':'); each
    # only where the options leave it unset. Without namespaces: it serves those its handler classes
    # declare and those of the templates it registers that have a step a Ruby handler runs.
    class Bootstrap
      include Singleton

      RUBY_ONLY_OPTIONS = %i[trap_signals].freeze
      SIGNALS = %w[INT TERM].freeze

      attr_reader :logger, :config, :state

      def self.start!(config = {})
        instance.start!(config)
      end

      def initialize
        @logger = TaskerCore.logger
        @state = :initialized
        @shutdown_handlers = []
        @previous_traps = {}
        @lock = Monitor.new
      end

      # Starts the worker; a second start! while running changes nothing.
      def start!(config = {})
        @lock.synchronize do
          if @state == :running
            logger.warn 'Worker already running; start! ignored'
            return self
          end

          @config = default_config.merge(config.transform_keys(&:to_sym))
          @state = :starting
          logger.info "Starting Ruby worker #{@config[:worker_id]}"
          initialize_ruby_components!
          start_event_processing!
          bootstrap_foundation!
          register_shutdown_handlers!
          @state = :running
          logger.info "Ruby worker started with #{Registry::HandlerRegistry.instance.handlers.size} handlers"
        end
        self
      rescue StandardError => e
        logger.error "Failed to start the worker: #{e.class}: #{e.message}"
        shutdown!
        raise
      end

      def running?
        @state == :running && foundation_running?
      end

      # FFI.worker_status with the Ruby side's state merged in.
      def status
        TaskerCore::FFI.worker_status.merge(
          status: @state,
          event_bridge_active: EventBridge.instance.active?,
          handler_registry_size: Registry::HandlerRegistry.instance.handlers.size,
          subscriber_active: @step_subscriber&.active? || false
        )
      rescue StandardError => e
        logger.error "Failed to get status: #{e.message}"
        { error: e.message, status: @state }
      end

      # Stops claiming, lets in-flight steps finish, then stops everything; safe to call twice.
      def shutdown!
        @lock.synchronize do
          return if %i[initialized stopped].include?(@state)

          logger.info 'Shutting down the Ruby worker'
          @state = :shutting_down
          attempt('transition to graceful shutdown') { TaskerCore::FFI.transition_to_graceful_shutdown }
          @step_subscriber&.stop!
          EventBridge.instance.stop!
          attempt('stop the worker') { TaskerCore::FFI.stop_worker }
          @shutdown_handlers.each { |handler| attempt('run a shutdown handler') { handler.call } }
          restore_signal_traps
          @state = :stopped
          logger.info 'Ruby worker stopped'
        end
      end

      # Runs block at every shutdown!, after the worker stopped.
      def on_shutdown(&block)
        @shutdown_handlers << block if block
        self
      end

      private

      def default_config
        config = {
          worker_id: "ruby-worker-#{SecureRandom.uuid}",
          enable_web_api: false,
          event_driven_enabled: true,
          deployment_mode: 'Hybrid',
          trap_signals: true
        }
        config.merge(environment_config)
      end

      # What the environment says, for what it sets.
      def environment_config
        config = {}
        if blank?(ENV.fetch('TASKER_DATABASE_URL', nil)) && !blank?(ENV.fetch('DATABASE_URL', nil))
          config[:database_url] = ENV.fetch('DATABASE_URL')
        end
        templates = ENV.fetch('TASKER_TEMPLATE_PATH', '').split(File::PATH_SEPARATOR).reject { |path| blank?(path) }
        config[:template_paths] = templates unless templates.empty?
        config
      end

      def blank?(value)
        value.nil? || value.strip.empty?
      end

      def initialize_ruby_components!
        EventBridge.instance.start!
        Registry::HandlerRegistry.instance.bootstrap_handlers!
        @step_subscriber ||= StepExecutionSubscriber.new(logger: logger)
      end

      # Subscribes before the foundation starts, so the first step it claims already finds a
      # listener instead of failing for want of one.
      def start_event_processing!
        @step_subscriber.start!
      end

      def bootstrap_foundation!
        result = TaskerCore::FFI.bootstrap_worker(@config.except(*RUBY_ONLY_OPTIONS))
        logger.info "Foundation: #{result}"
        status = TaskerCore::FFI.worker_status
        raise "Worker foundation failed to start: #{status.inspect}" unless status[:running]
      end

      def register_shutdown_handlers!
        trap_signals if @config[:trap_signals]
        return if @at_exit_registered

        @at_exit_registered = true
        at_exit { shutdown! if running? }
      end

      # A trap handler may not take locks, so the shutdown runs on its own thread.
      def trap_signals
        SIGNALS.each do |signal|
          @previous_traps[signal] = Signal.trap(signal) { Thread.new { shutdown! } }
        end
      rescue ArgumentError => e
        logger.warn "Cannot trap signals here: #{e.message}"
      end

      def restore_signal_traps
        @previous_traps.each { |signal, previous| Signal.trap(signal, previous || 'DEFAULT') }
        @previous_traps.clear
      end

      def foundation_running?
        TaskerCore::FFI.worker_status[:running] == true
      rescue StandardError
        false
      end

      def attempt(what)
        yield
      rescue StandardError => e
        logger.warn "Failed to #{what}: #{e.message}"
      end
    end
  end
end
