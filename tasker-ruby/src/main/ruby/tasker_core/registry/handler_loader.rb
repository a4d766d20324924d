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
      private_constant :LOCATED_MESSAGE

      class << self
        # Requires every *.rb below directory; returns their absolute paths, sorted.
        def load_directory(directory)
          root = File.expand_path(directory)
          raise ArgumentError, "#{directory}: no such folder" unless File.directory?(root)

          files = Dir.glob('**/*.rb', base: root).sort.map { |file| File.join(root, file) }
          files.each { |file| load_file(file, root) }
          HandlerRegistry.instance.bootstrap_handlers!
          files
        end

        private

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
