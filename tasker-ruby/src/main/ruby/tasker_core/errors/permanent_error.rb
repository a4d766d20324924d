# frozen_string_literal: true

module TaskerCore
  module Errors
    # A failure retrying cannot fix: the step goes to error at once.
    #
    #   raise TaskerCore::Errors::PermanentError.new('card expired', error_code: 'CARD_EXPIRED',
    #                                                                 context: { last4: '4242' })
    class PermanentError < ProceduralError
      records :error_code
    end
  end
end
