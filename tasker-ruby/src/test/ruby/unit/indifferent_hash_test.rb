# frozen_string_literal: true

require 'test_helper'

class IndifferentHashTest < Minitest::Test
  H = TaskerCore::IndifferentHash

  def setup
    @hash = H.wrap({ 'order' => { 'id' => 7, 'items' => [{ 'sku' => 'A' }] }, 'note' => nil })
  end

  def test_wrap_converts_nested_hashes_also_inside_arrays
    assert_instance_of H, @hash
    assert_instance_of H, @hash['order']
    assert_instance_of H, @hash['order']['items'].first
    assert_same @hash, H.wrap(@hash)
  end

  def test_symbols_read_the_string_keys
    assert_equal 7, @hash[:order][:id]
    assert_equal 7, @hash['order']['id']
    assert_equal 'A', @hash.dig(:order, :items, 0, :sku)
    assert_nil @hash.dig(:order, :missing, :deeper)
    assert_equal 7, @hash.fetch(:order).fetch(:id)
    assert_equal 'fallback', @hash.fetch(:missing, 'fallback')
    assert_equal 'from block', @hash.fetch(:missing) { 'from block' }
    assert_raises(KeyError) { @hash.fetch(:missing) }
    assert @hash.key?(:note)
    assert @hash.include?('note')
    assert @hash.has_key?(:order)
    refute @hash.member?(:nothing)
    assert_equal [7, nil], @hash[:order].values_at(:id, :nope)
    assert_equal [7], @hash[:order].fetch_values(:id)
  end

  def test_writes_with_symbols_store_string_keys
    @hash[:added] = 1
    @hash.store(:stored, 2)
    merged = @hash.merge(merged: 3)
    @hash.update(updated: 4)

    assert_equal %w[order note added stored updated], @hash.keys
    assert_equal 3, merged['merged']
    assert_instance_of H, merged
    assert_equal 1, @hash.delete(:added)
    refute @hash.key?('added')
  end

  def test_slice_and_except_keep_indifference
    assert_equal({ 'order' => @hash['order'] }, @hash.slice(:order, :nope))
    assert_equal ['order'], @hash.except(:note).keys
    assert_instance_of H, @hash.slice(:order)
    assert_instance_of H, @hash.except(:note)
  end

  def test_it_is_a_hash_that_compares_with_plain_hashes
    assert_kind_of Hash, @hash
    assert_equal({ 'order' => { 'id' => 7, 'items' => [{ 'sku' => 'A' }] }, 'note' => nil }, @hash)
    assert_equal '{"order" => {"id" => 7, "items" => [{"sku" => "A"}]}, "note" => nil}', @hash.inspect
  end

  def test_active_supports_key_conversions
    assert_equal({ order: { id: 7, items: [{ sku: 'A' }] }, note: nil }, @hash.deep_symbolize_keys)
    assert_equal %i[order note], @hash.symbolize_keys.keys
    assert_equal %w[order note], @hash.deep_stringify_keys.keys
    assert_instance_of H, @hash.with_indifferent_access
  end

  def test_integer_keys_are_left_alone
    hash = H.new
    hash[1] = 'one'

    assert_equal 'one', hash[1]
    assert_nil hash['1']
  end
end
