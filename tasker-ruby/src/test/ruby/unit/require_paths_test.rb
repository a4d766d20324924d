# frozen_string_literal: true

require 'test_helper'
require 'tmpdir'

# tasker-core's feature paths resolve here, also through the require_relative its example
# handlers use to reach its repository's lib/.
class RequirePathsTest < Minitest::Test
  Loader = TaskerCore::Registry::HandlerLoader

  FEATURES = %w[
    tasker_core/errors tasker_core/errors/common tasker_core/errors/error_classifier tasker_core/logger
    tasker_core/tracing tasker_core/types tasker_core/types/step_context tasker_core/types/step_handler_call_result
    tasker_core/types/decision_point_outcome tasker_core/types/batch_processing_outcome tasker_core/types/error_types
    tasker_core/models tasker_core/handlers tasker_core/step_handler/base tasker_core/step_handler/api
    tasker_core/step_handler/decision tasker_core/step_handler/batchable tasker_core/step_handler/mixins
    tasker_core/step_handler/mixins/api tasker_core/step_handler/mixins/decision tasker_core/step_handler/mixins/batchable
    tasker_core/task_handler/base tasker_core/batch_processing/batch_worker_context
    tasker_core/batch_processing/batch_aggregation_scenario tasker_core/domain_events
    tasker_core/domain_events/base_publisher tasker_core/domain_events/base_subscriber
    tasker_core/domain_events/publisher_registry tasker_core/domain_events/subscriber_registry tasker_core/registry
    tasker_core/registry/handler_registry tasker_core/event_bridge tasker_core/subscriber tasker_core/bootstrap
  ].freeze

  def setup
    @dir = Dir.mktmpdir('handlers')
  end

  def teardown
    FileUtils.remove_entry(@dir)
  end

  def write(name, text)
    path = File.join(@dir, name)
    FileUtils.mkdir_p(File.dirname(path))
    File.write(path, text)
    path
  end

  def test_tasker_cores_feature_paths_resolve
    FEATURES.each do |feature|
      require feature
    rescue LoadError => e
      flunk "require '#{feature}' failed: #{e.message}"
    end
  end

  def test_require_relative_into_tasker_cores_lib_loads_this_workers_feature
    write('workflow/step_handlers/refund_handler.rb', <<~RUBY)
      require_relative '../../../../../lib/tasker_core/errors'
      require_relative '../../../../../lib/tasker_core/task_handler/base.rb'
      require_relative '../../lib/tasker_core'

      module RequirePathsTestHandlers
        class RefundHandler < TaskerCore::StepHandler::Base
          def call(_context) = raise(TaskerCore::Errors::ValidationError.new('x', field: 'f'))
        end
      end
    RUBY

    Loader.load_directory(@dir)

    assert defined?(RequirePathsTestHandlers::RefundHandler)
  ensure
    TaskerCore::Registry::HandlerRegistry.instance.unregister('RequirePathsTestHandlers::RefundHandler')
  end

  def test_other_require_relatives_work_as_ever
    write('lib/helper.rb', "module RequirePathsTestHelper\n  LOADED = __FILE__\nend\n")
    main = write('main.rb', "require_relative 'lib/helper'\nrequire_relative 'lib/helper.rb'\n")

    require main

    assert_equal File.join(@dir, 'lib/helper.rb'), RequirePathsTestHelper::LOADED
    assert_equal 1, $LOADED_FEATURES.count { |f| f.end_with?('/lib/helper.rb') && f.start_with?(@dir) }
  end

  def test_a_missing_file_is_a_load_error_as_before
    main = write('main.rb', "require_relative 'not_here'\n")

    error = assert_raises(LoadError) { require main }

    assert_equal "cannot load such file -- #{File.join(@dir, 'not_here')}", error.message
  end

  def test_a_missing_tasker_core_feature_says_so
    main = write('main.rb', "require_relative 'lib/tasker_core/no_such_part'\n")

    error = assert_raises(LoadError) { require main }

    assert_equal "cannot load such file -- #{File.join(@dir, 'lib/tasker_core/no_such_part')} " \
                 '(and this worker has no tasker_core/no_such_part to load instead)', error.message
  end

  def test_an_existing_file_under_a_lib_tasker_core_folder_is_loaded_itself
    write('lib/tasker_core/local_part.rb', "module RequirePathsTestLocal\nend\n")
    main = write('main.rb', "require_relative 'lib/tasker_core/local_part'\n")

    require main

    assert defined?(RequirePathsTestLocal)
  end

  def test_require_relative_in_eval_cannot_infer_a_basepath
    error = assert_raises(LoadError) { eval("require_relative 'x'", binding, __FILE__, __LINE__) } # rubocop:disable Security/Eval

    assert_match(/cannot infer basepath|cannot load such file/, error.message)
    error = assert_raises(LoadError) { instance_eval("require_relative 'x'") } # rubocop:disable Style/EvalWithLocation
    assert_equal 'cannot infer basepath', error.message
  end

  def test_the_loader_still_names_the_file_and_line_behind_a_require_relative
    helper = write('support/broken_helper.rb', "module RequirePathsTestBroken\n  Missing::Thing\nend\n")
    write('a_handler.rb', "require_relative 'support/broken_helper'\n")

    error = assert_raises(Loader::InvalidHandlerFile) { Loader.load_directory(@dir) }

    assert_equal "#{helper}:2: NameError: uninitialized constant RequirePathsTestBroken::Missing", error.message
  end

  def test_a_syntax_error_behind_a_require_relative_names_its_file_and_line
    helper = write('support/bad_syntax.rb', "def broken(\nend\n")
    write('a_handler.rb', "require_relative 'support/bad_syntax'\n")

    error = assert_raises(Loader::InvalidHandlerFile) { Loader.load_directory(@dir) }

    assert_equal helper, error.path
    assert_equal 2, error.line
  end
end
