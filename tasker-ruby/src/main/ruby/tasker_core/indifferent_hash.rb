# frozen_string_literal: true

module TaskerCore
  # The Hash class of the JSON data handlers receive (task context, handler initialization,
  # dependency results): its keys are Strings, as the JSON's were, and a Symbol reads the same
  # entry, so h[:order], h['order'], h.dig(:order, :id) and h.fetch(:id) all work, as they did
  # with the ActiveSupport hashes of tasker-core's Ruby worker.
  #
  # The Java bridge builds these hashes directly, nested ones included, so a step pays nothing to
  # create them; a String lookup costs one Ruby method call more than a plain Hash's. Writing with
  # a Symbol key stores a String key, so the hash keeps one key per name.
  class IndifferentHash < Hash
    # value as indifferent data: Hashes (also inside Arrays) become IndifferentHashes, copied only
    # where they are not already.
    def self.wrap(value)
      case value
      when IndifferentHash then value
      when Hash then value.each_with_object(new) { |(k, v), out| out[k] = wrap(v) }
      when Array then value.map { |v| wrap(v) }
      else value
      end
    end

    # Hash#[] by another name: calling it is cheaper than super, and this is the hot path.
    alias_method :read_string_key, :[]
    private :read_string_key

    def [](key)
      read_string_key(key.is_a?(Symbol) ? key.name : key)
    end

    def []=(key, value)
      super(key.is_a?(Symbol) ? key.name : key, value)
    end
    alias store []=

    def fetch(key, *default, &block)
      super(key.is_a?(Symbol) ? key.name : key, *default, &block)
    end

    def key?(key)
      super(key.is_a?(Symbol) ? key.name : key)
    end
    alias has_key? key?
    alias include? key?
    alias member? key?

    def dig(key, *rest)
      value = self[key]
      return value if rest.empty? || value.nil?
      raise TypeError, "#{value.class} does not have #dig method" unless value.respond_to?(:dig)

      value.dig(*rest)
    end

    def delete(key, &block)
      super(key.is_a?(Symbol) ? key.name : key, &block)
    end

    def values_at(*keys)
      keys.map { |key| self[key] }
    end

    def fetch_values(*keys, &block)
      keys.map { |key| fetch(key, &block) }
    end

    def slice(*keys)
      keys.each_with_object(self.class.new) { |key, out| out[key] = self[key] if key?(key) }
    end

    def except(*keys)
      names = keys.map { |key| key.is_a?(Symbol) ? key.name : key }
      reject { |key, _| names.include?(key) }.then { |kept| self.class.wrap(kept) }
    end

    def update(*others, &block)
      super(*others.map { |other| self.class.wrap(other) }, &block)
    end
    alias merge! update

    def merge(*others, &block)
      dup.update(*others, &block)
    end

    def with_indifferent_access
      dup
    end

    # ActiveSupport's names, which handlers written for tasker-core's worker call. These return
    # plain Hashes.
    def symbolize_keys
      to_h.transform_keys(&:to_sym)
    end

    def deep_symbolize_keys
      deep_transform(self) { |key| key.to_sym }
    end

    def stringify_keys
      to_h
    end

    def deep_stringify_keys
      deep_transform(self, &:to_s)
    end

    private

    def deep_transform(value, &block)
      case value
      when Hash then value.each_with_object({}) { |(k, v), out| out[block.call(k)] = deep_transform(v, &block) }
      when Array then value.map { |v| deep_transform(v, &block) }
      else value
      end
    end
  end
end
