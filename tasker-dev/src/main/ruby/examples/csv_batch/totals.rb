# frozen_string_literal: true

module Examples
  module CsvBatch
    # The CSV file the example processes, generated instead of read, and what it counts over it:
    # row i (0-based) has the amount (i * 7919) % 1000 and the category CATEGORIES[i % 5], so
    # every worker makes its own rows and the totals are known in closed form. The same rows and
    # totals as io.tasker.examples.csv in Java.
    class Totals
      CATEGORIES = %w[electronics books clothing home toys].freeze

      attr_reader :processed_count

      # The totals in a worker's result or a checkpoint's accumulated results; zero for nil.
      def self.of(hash)
        new.add(hash)
      end

      def initialize
        @processed_count = 0
        @amount_sum = 0
        @category_counts = Array.new(CATEGORIES.size, 0)
      end

      # Counts rows from...to (the end excluded).
      def add_rows(from, to)
        row = from
        while row < to
          @amount_sum += (row * 7919) % 1000
          @category_counts[row % CATEGORIES.size] += 1
          row += 1
        end
        @processed_count += [to - from, 0].max
        self
      end

      # Adds the totals of a worker's result or a checkpoint; a placeholder's result adds nothing.
      def add(hash)
        return self if hash.nil?

        @processed_count += hash['processed_count'].to_i
        @amount_sum += hash['amount_sum'].to_i
        counts = hash['category_counts'] || {}
        CATEGORIES.each_with_index { |name, i| @category_counts[i] += counts[name].to_i }
        self
      end

      # Categories with no rows are left out, as in Java.
      def to_h
        { 'processed_count' => @processed_count, 'amount_sum' => @amount_sum,
          'category_counts' => CATEGORIES.zip(@category_counts).reject { |_, count| count.zero? }.to_h }
      end
    end
  end
end
