# frozen_string_literal: true

# The Ruby handler of every chaos step, written into its run folder by `tasker chaos`: the same
# work and the same journal as the Java handler (io.tasker.bench.chaos.internal.ChaosStep), so
# the run checks both languages alike.
require 'java'

module Chaos
  MODULUS = 1_000_000_007

  # One file per process, one write per line: a line written is the operating system's, and a
  # kill -9 of the process a moment later loses nothing.
  module Journal
    LOCK = Mutex.new
    COUNTER = [0]

    module_function

    def file
      @file ||= LOCK.synchronize do
        @file || begin
          folder = ENV.fetch('TASKER_CHAOS_JOURNAL') do
            raise TaskerCore::Errors::PermanentError,
                  "TASKER_CHAOS_JOURNAL is not set: chaos steps run only in the workers that 'tasker chaos' starts"
          end
          f = File.open(File.join(folder, "ruby-#{pid}.tsv"), 'a')
          f.sync = true
          f
        end
      end
    end

    def pid
      @pid ||= java.lang.ProcessHandle.current.pid
    end

    def now_micros
      Process.clock_gettime(Process::CLOCK_REALTIME, :microsecond)
    end

    def started(step)
      run = LOCK.synchronize { "r#{pid}-#{COUNTER[0] += 1}" }
      write(['start', step.step_uuid, step.attempts, run, pid, now_micros])
      run
    end

    def ended(step, run, outcome)
      write(['end', step.step_uuid, step.attempts, run, pid, now_micros, outcome])
    end

    def write(fields)
      line = "#{fields.join("\t")}\n"
      out = file
      LOCK.synchronize { out.write(line) }
    end
  end

  # As StepDelay in Java: 50 to 500 ms, one step in twenty 1.5 to 3 s, from the step's id.
  def self.delay_seconds(step_uuid)
    bits = step_uuid.to_s.delete('-')[-8..].to_i(16)
    millis = (bits % 20).zero? ? 1_500 + (bits % 1_501) : 50 + (bits % 451)
    millis / 1000.0
  end

  class Step < TaskerCore::StepHandler::Base
    def call(step)
      run = Journal.started(step)
      outcome = 'error'
      begin
        sleep(Chaos.delay_seconds(step.step_uuid))
        result = compute(step, run)
        outcome = 'ok'
        success(result: result)
      rescue TaskerCore::Errors::StepCancelledError
        outcome = 'cancelled'
        raise
      ensure
        Journal.ended(step, run, outcome)
      end
    end

    private

    def compute(step, run)
      seen = {}
      input = 0
      input = integer(step.task_context['input'], 'context.input') if step.depends_on.empty?
      step.depends_on.each do |parent|
        result = step.dependency_result(parent)
        if result.nil?
          raise TaskerCore::Errors::PermanentError, "step #{step.step_name} has no result of its parent #{parent}"
        end

        input += integer(result['value'], "#{parent}.value")
        seen[parent] = result['run'].to_s
      end
      init = step.step_inputs
      mul = integer(init['mul'], 'mul')
      add = integer(init['add'], 'add')
      { 'value' => ((input % MODULUS) * mul + add) % MODULUS, 'run' => run, 'seen' => seen }
    end

    def integer(value, what)
      raise TaskerCore::Errors::PermanentError, "#{what} must be an integer, got #{value.inspect}" unless value.is_a?(Integer)

      value
    end
  end
end
