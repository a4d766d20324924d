# frozen_string_literal: true

module TaskerCore
  module Registry
    # Loads a folder of handler code: requires every *.rb file below it, in path order, then
    # registers the StepHandler::Base subclasses they defined. A file that fails to load stops it
    # with an InvalidHandlerFile naming the file and line, so a typo is reported when the worker
    # starts instead of as failing steps later.
    #
    #   TaskerCore::Registry::HandlerLoader.load_directory('app/handlers')  # => ["/srv/app/handlers/charge.rb", ...]
    #
    # Files are required by absolute path, so one that another already loaded with
    # require_relative is not loaded twice.
    #
    # The folder's vendor/ holds the libraries its handlers use, and nothing below it is loaded as
    # handler code. A library unpacked there has its lib/ put on the load path first
    # (vendor/money-6.19/lib/money.rb answers require 'money'); a folder with a specifications/
    # folder is a gem directory (gem install --install-dir vendor/gems money) and joins the gem path.
    module HandlerLoader
      # A handler file raised while loading. The message reads "path:line: what went wrong".
      class InvalidHandlerFile < StandardError
        attr_reader :path, :line

        def initialize(path, line, message)
          @path = path
          @line = line
          super("#{[path, line].compact.join(':')}: #{message}")
        end
      end

      # "path:line: message", as JRuby words a SyntaxError.
      LOCATED_MESSAGE = /\A(?<path>.+?):(?<line>\d+): (?<message>.*)\z/m
      VENDOR = 'vendor/'
      private_constant :LOCATED_MESSAGE, :VENDOR

      class << self
        # Requires every *.rb below directory; returns their absolute paths, sorted.
        def load_directory(directory)
          root = File.expand_path(directory)
          raise ArgumentError, "#{directory}: no such folder" unless File.directory?(root)

          add_vendored_libraries(root)
          files = Dir.glob('**/*.rb', base: root).reject { |file| file.start_with?(VENDOR) }
                     .sort.map { |file| File.join(root, file) }
          files.each { |file| load_file(file, root) }
          HandlerRegistry.instance.bootstrap_handlers!
          files
        end

        private

        # Before the folder's own code, so a vendored library is found first.
        def add_vendored_libraries(root)
          folders = Dir.glob(File.join(root, VENDOR, '*')).select { |dir| File.directory?(dir) }.sort
          gem_dirs, libraries = folders.partition { |dir| File.directory?(File.join(dir, 'specifications')) }
          libs = libraries.map { |dir| File.join(dir, 'lib') }.select { |dir| File.directory?(dir) }
          libs.reverse_each { |dir| $LOAD_PATH.unshift(dir) unless $LOAD_PATH.include?(dir) }
          return if gem_dirs.empty? || !defined?(Gem) || (gem_dirs - Gem.path).empty?

          Gem.use_paths(Gem.dir, Gem.path | gem_dirs)
        end

        def load_file(file, root)
          require file
        rescue ScriptError, StandardError => e
          raise located(e, file, root)
        end

        # The error at the first line of the folder's code it passed through: a NameError raised
        # in a helper the file requires is reported where the helper is, not where it was required.
        def located(error, file, root)
          message = error.message.to_s.strip
          # Below its first line JRuby quotes the source with a caret; the first line says it all.
          if error.is_a?(SyntaxError) && (match = LOCATED_MESSAGE.match(message))
            return InvalidHandlerFile.new(match[:path], Integer(match[:line]), match[:message].lines.first.strip)
          end

          location = Array(error.backtrace_locations).find { |l| l.absolute_path.to_s.start_with?("#{root}/") }
          InvalidHandlerFile.new(location&.absolute_path || file, location&.lineno, "#{error.class}: #{message}")
        end
      end
    end
  end
end
