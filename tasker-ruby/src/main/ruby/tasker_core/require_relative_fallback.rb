# frozen_string_literal: true

module TaskerCore
  # tasker-core's handlers load its library by paths into its own repository, such as
  # require_relative '../../../../../lib/tasker_core/errors'. Outside that repository the file is
  # not there; such a require_relative then loads this worker's feature of that name
  # ('tasker_core/errors') instead. Any other require_relative behaves as Ruby's own.
  module RequireRelativeFallback
    ORIGINAL_LIB = %r{/lib/(?<feature>tasker_core(?:/.+?)?)(?:\.rb)?\z}
    private_constant :ORIGINAL_LIB

    # The feature to load instead of the absolute path, or nil to load the path itself.
    def self.feature_for(path)
      return nil unless path.include?('/lib/tasker_core') && (match = ORIGINAL_LIB.match(path))
      return nil if File.file?(path) || File.file?("#{path}.rb")

      match[:feature]
    end

    # Requires path, or this worker's feature for it.
    def self.require_path(path)
      feature = feature_for(path)
      return require(path) unless feature

      begin
        require(feature)
      rescue LoadError => e
        raise unless e.path == feature

        raise LoadError, "cannot load such file -- #{path} (and this worker has no #{feature} to load instead)"
      end
    end
  end
end

module Kernel
  private

  # Ruby's require_relative, which resolves feature against the directory of the file that calls
  # it, plus TaskerCore::RequireRelativeFallback.
  def require_relative(feature)
    caller_path = caller_locations(1, 1).first&.absolute_path
    raise LoadError, 'cannot infer basepath' if caller_path.nil? || caller_path.start_with?('(')

    TaskerCore::RequireRelativeFallback.require_path(File.expand_path(File.path(feature), File.dirname(caller_path)))
  end
end
