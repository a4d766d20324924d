# frozen_string_literal: true

module TaskerTest
  # Lets io.tasker.ruby.RubyTests run minitest tests one at a time, so JUnit (and Surefire)
  # count and report each Ruby test and a Ruby failure fails the build.
  module JUnitRunner
    module_function

    # Requires every *_test.rb under dir, in a stable order.
    def load_tests(dir)
      Dir.glob(File.join(dir, '**', '*_test.rb')).sort.each { |file| require File.expand_path(file) }
    end

    # [[class name, method name, file, line], ...] for every loaded minitest test, sorted.
    def tests
      Minitest::Runnable.runnables
                        .select { |klass| klass < Minitest::Test && klass.name }
                        .sort_by(&:name)
                        .flat_map { |klass| klass.runnable_methods.sort.map { |name| describe_test(klass, name) } }
    end

    def describe_test(klass, name)
      file, line = klass.instance_method(name).source_location
      [klass.name, name, file.to_s, line.to_i]
    end

    # Runs one test; returns nil when it passed, else [status, message] with status 'skip' or 'fail'.
    def run(class_name, method_name)
      result = Minitest.run_one_method(Object.const_get(class_name), method_name)
      return nil if result.passed?
      return ['skip', result.failure.message] if result.skipped?

      ['fail', result.failures.map { |failure| describe(failure) }.join("\n\n")]
    end

    def describe(failure)
      location = failure.respond_to?(:location) ? failure.location : nil
      lines = ["#{failure.result_label}: #{failure.message}"]
      lines << "  at #{location}" if location && !failure.is_a?(Minitest::UnexpectedError)
      lines.join("\n")
    end
  end
end
