# frozen_string_literal: true

require 'test_helper'
require 'tmpdir'

# Pure-Ruby gems for handlers: installed where GEM_PATH points (gem install --install-dir DIR,
# or a bundle's folder), or vendored in the handlers folder's vendor/.
class GemsTest < Minitest::Test
  Loader = TaskerCore::Registry::HandlerLoader

  def setup
    @dir = Dir.mktmpdir('gems')
    @saved_gem_paths = [ENV.fetch('GEM_PATH', nil), ENV.fetch('GEM_HOME', nil)]
    @saved_load_path = $LOAD_PATH.dup
    @name = "tiny_gem_#{SecureRandom.hex(4)}"
  end

  def teardown
    ENV['GEM_PATH'], ENV['GEM_HOME'] = @saved_gem_paths
    Gem.clear_paths
    $LOAD_PATH.replace(@saved_load_path)
    FileUtils.remove_entry(@dir)
  end

  # A gem directory as `gem install --install-dir` leaves it: specifications/ and gems/.
  def make_gem_dir(root, name, constant)
    FileUtils.mkdir_p(File.join(root, 'specifications'))
    lib = File.join(root, 'gems', "#{name}-1.0.0", 'lib')
    FileUtils.mkdir_p(lib)
    File.write(File.join(lib, "#{name}.rb"), "module #{constant}\n  def self.greet = 'hello from #{name}'\nend\n")
    spec = Gem::Specification.new do |s|
      s.name = name
      s.version = '1.0.0'
      s.summary = 'a gem made by a test'
      s.authors = ['test']
      s.files = ["lib/#{name}.rb"]
    end
    File.write(File.join(root, 'specifications', "#{name}-1.0.0.gemspec"), spec.to_ruby)
    root
  end

  def constant_name
    @name.split('_').map(&:capitalize).join
  end

  def test_a_gem_installed_where_gem_path_points_loads
    gems = make_gem_dir(File.join(@dir, 'gems'), @name, constant_name)
    ENV['GEM_PATH'] = [gems, *Gem.path].join(File::PATH_SEPARATOR)
    Gem.clear_paths

    assert require(@name)
    assert_equal "hello from #{@name}", Object.const_get(constant_name).greet
    assert_equal '1.0.0', Gem.loaded_specs.fetch(@name).version.to_s
  end

  def test_a_gem_directory_in_vendor_joins_the_gem_path
    handlers = File.join(@dir, 'handlers')
    make_gem_dir(File.join(handlers, 'vendor', 'gems'), @name, constant_name)
    File.write(File.join(handlers, 'uses_gem.rb'), <<~RUBY)
      require '#{@name}'

      module GemsTestHandlers
        class #{constant_name}Handler < TaskerCore::StepHandler::Base
          def call(_context) = { 'greeting' => #{constant_name}.greet }
        end
      end
    RUBY

    files = Loader.load_directory(handlers)

    assert_equal [File.join(handlers, 'uses_gem.rb')], files
    handler = GemsTestHandlers.const_get("#{constant_name}Handler")
    assert_equal({ 'greeting' => "hello from #{@name}" }, handler.new.call(nil))
  ensure
    TaskerCore::Registry::HandlerRegistry.instance.unregister("GemsTestHandlers::#{constant_name}Handler")
  end

  def test_an_unpacked_library_in_vendor_is_on_the_load_path_and_not_loaded_as_handlers
    handlers = File.join(@dir, 'handlers')
    lib = File.join(handlers, 'vendor', "#{@name}-2.0", 'lib')
    FileUtils.mkdir_p(lib)
    File.write(File.join(lib, "#{@name}.rb"), "module #{constant_name}\n  VERSION = '2.0'\nend\n")
    # Loading it as handler code would raise.
    File.write(File.join(lib, 'not_a_handler.rb'), "raise 'vendored code was loaded as a handler'\n")
    File.write(File.join(handlers, 'uses_lib.rb'), "require '#{@name}'\n")

    files = Loader.load_directory(handlers)

    assert_equal [File.join(handlers, 'uses_lib.rb')], files
    assert_equal '2.0', Object.const_get(constant_name)::VERSION
    assert_includes $LOAD_PATH, lib
  end
end
