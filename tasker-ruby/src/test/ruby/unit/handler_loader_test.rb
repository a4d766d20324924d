# frozen_string_literal: true

require 'test_helper'
require 'tmpdir'

class HandlerLoaderTest < Minitest::Test
  Loader = TaskerCore::Registry::HandlerLoader

  def setup
    @dir = Dir.mktmpdir('handlers')
  end

  def teardown
    FileUtils.remove_entry(@dir)
  end

  def test_requires_every_ruby_file_below_the_folder_in_path_order_and_registers_the_handlers
    write('b_step.rb', <<~RUBY)
      module LoaderTestHandlers
        class BStep < TaskerCore::StepHandler::Base
          callable 'loader_test.b'
          def call(_step) = { 'order' => ORDER.dup }
        end
      end
    RUBY
    write('a_support.rb', "module LoaderTestHandlers\n  ORDER = [:a].freeze\nend\n")
    write('nested/c_step.rb', "module LoaderTestHandlers\n  class CStep < TaskerCore::StepHandler::Base\n  end\nend\n")
    write('notes.txt', 'not Ruby')

    files = Loader.load_directory(@dir)

    assert_equal(%w[a_support.rb b_step.rb nested/c_step.rb].map { |f| File.join(@dir, f) }, files)
    registry = TaskerCore::Registry::HandlerRegistry.instance
    assert_equal LoaderTestHandlers::BStep, registry.handlers['loader_test.b']
    assert_equal LoaderTestHandlers::CStep, registry.handlers['LoaderTestHandlers::CStep']
  ensure
    %w[loader_test.b LoaderTestHandlers::CStep].each { |c| TaskerCore::Registry::HandlerRegistry.instance.unregister(c) }
  end

  def test_a_syntax_error_names_the_file_and_line
    path = write('broken.rb', "class LoaderTestBroken\n  def call(\nend\n")

    error = assert_raises(Loader::InvalidHandlerFile) { Loader.load_directory(@dir) }

    assert_equal path, error.path
    assert_equal 3, error.line
    assert_equal "#{path}:3: syntax error, unexpected 'end'", error.message
  end

  def test_an_error_raised_while_loading_names_the_line_that_raised_it
    path = write('missing_constant.rb', "# frozen_string_literal: true\n\nclass LoaderTestMissing < NoSuch::Base\nend\n")

    error = assert_raises(Loader::InvalidHandlerFile) { Loader.load_directory(@dir) }

    assert_equal "#{path}:3: NameError: uninitialized constant NoSuch", error.message
  end

  def test_a_missing_folder_is_an_argument_error
    error = assert_raises(ArgumentError) { Loader.load_directory(File.join(@dir, 'nope')) }

    assert_match(/nope: no such folder/, error.message)
  end

  private

  def write(name, text)
    path = File.join(@dir, name)
    FileUtils.mkdir_p(File.dirname(path))
    File.write(path, text)
    path
  end
end
