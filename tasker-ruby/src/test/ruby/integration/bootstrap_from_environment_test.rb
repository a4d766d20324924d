# frozen_string_literal: true

require 'test_helper'
require 'tmpdir'

module BootstrapFromEnvironmentIt
  # Declares no namespace, as tasker-core's handlers do not.
  class Greets < TaskerCore::StepHandler::Base
    def call(context) = { 'greeting' => "hello #{context.get_input(:name)}" }
  end
end

# TaskerCore::Worker::Bootstrap.start! with no options, as tasker-core's worker starts: the
# database, the environment name and the templates come from the environment, and the namespaces
# from the templates that have a step a Ruby handler runs.
class BootstrapFromEnvironmentTest < Minitest::Test
  include TaskerTest::Integration

  NAMESPACE = 'ruby_bootstrap_env_it'
  VARIABLES = %w[TASKER_DATABASE_URL DATABASE_URL TASKER_ENV TASKER_TEMPLATE_PATH].freeze

  def setup
    @saved = VARIABLES.to_h { |name| [name, ENV.fetch(name, nil)] }
    @templates = Dir.mktmpdir('templates')
    File.write(File.join(@templates, 'greeting.yaml'), <<~YAML)
      namespace: #{NAMESPACE}
      name: greeting
      version: 1.0.0
      identity_strategy: always_unique
      steps:
        - name: greet
          handler: {callable: BootstrapFromEnvironmentIt::Greets}
    YAML
  end

  def teardown
    stop_worker
    @saved.each { |name, value| ENV[name] = value }
    FileUtils.remove_entry(@templates)
  end

  def test_start_without_options_reads_the_environment
    ENV['TASKER_DATABASE_URL'] = nil
    ENV['DATABASE_URL'] = database.url
    ENV['TASKER_ENV'] = 'staging'
    ENV['TASKER_TEMPLATE_PATH'] = @templates

    TaskerCore::Worker::Bootstrap.start!

    status = bootstrap.status
    assert_equal [true, 'staging'], status.values_at(:running, :environment)
    # Also those that handler classes of other tests declare.
    assert_includes status[:supported_namespaces], NAMESPACE
    task = await_task(create_task(NAMESPACE, 'greeting', { 'name' => 'Ada' }))
    assert_equal 'complete', task['state'], task.inspect
    assert_equal({ 'greeting' => 'hello Ada' }, step(task, 'greet')['results'])
  end
end
