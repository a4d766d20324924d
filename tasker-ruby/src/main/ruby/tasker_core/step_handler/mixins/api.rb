# frozen_string_literal: true

module TaskerCore
  module StepHandler
    module Mixins
      # tasker-core's HTTP helpers. The connection is Faraday's, as in tasker-core: install the
      # faraday gem where the worker finds gems (see docs/ruby-worker.md, "Gems") to use get, post,
      # put and delete. process_response, api_success and api_failure need no gem.
      #
      # An HTTP error raises: 400, 401, 403, 404 and 422 a PermanentError, 429 and 503 a
      # RetryableError with the Retry-After header's seconds, other statuses a RetryableError.
      module API
        def capabilities
          super + %w[http_client error_classification retry_headers faraday_connection]
        end

        # The Faraday connection to config's url (timeout, open_timeout, headers, params).
        def connection
          @connection ||= build_connection
        end

        # A new connection; the block may adjust it.
        def configure_connection(&block)
          @connection = build_connection(&block)
        end

        def get(path, params: {}, headers: {})
          process_response(connection.get(path, params, headers))
        end

        def post(path, data: {}, headers: {})
          process_response(connection.post(path, data, headers))
        end

        def put(path, data: {}, headers: {})
          process_response(connection.put(path, data, headers))
        end

        def delete(path, params: {}, headers: {})
          process_response(connection.delete(path, params, headers))
        end

        def api_success(data:, status: 200, headers: {}, execution_time_ms: nil, metadata: {})
          result = { 'data' => data, 'status' => status, 'headers' => headers,
                     'execution_time_ms' => execution_time_ms }.compact
          success(result: result, metadata: metadata.merge(api_call: true))
        end

        def api_failure(message:, status: nil, error_type: nil, headers: {}, execution_time_ms: nil, metadata: {})
          failure(message: message, error_type: error_type || api_error_type(status),
                  retryable: !status.nil? && (status >= 500 || status == 429),
                  metadata: metadata.merge(api_call: true, status: status, headers: headers,
                                           execution_time_ms: execution_time_ms).compact)
        end

        # Returns a successful response (anything answering status, success?, reason_phrase,
        # headers and body); raises the error its status calls for otherwise.
        def process_response(response)
          return response if response.success?

          status = response.status
          message = "HTTP #{status}: #{response.reason_phrase}"
          context = { status: status, body: response.body, headers: response.headers.to_h }
          case status
          when 400, 401, 403, 404, 422
            raise Errors::PermanentError.new(message, error_code: "HTTP_#{status}", context: context)
          when 429, 503
            raise Errors::RetryableError.new(message, retry_after: retry_after_seconds(response.headers),
                                                      context: context)
          else
            raise Errors::RetryableError.new(message, context: context)
          end
        end

        private

        def api_error_type(status)
          case status
          when 400..499 then 'PermanentError'
          when 500..599 then 'RetryableError'
          else 'UnexpectedError'
          end
        end

        def retry_after_seconds(headers)
          value = headers.to_h.find { |name, _| name.to_s.casecmp?('retry-after') }&.last
          Integer(value.to_s, exception: false)
        end

        def build_connection
          faraday = load_faraday
          faraday.new(config[:url] || config[:base_url]) do |conn|
            conn.options.timeout = config[:timeout] if config[:timeout]
            conn.options.open_timeout = config[:open_timeout] if config[:open_timeout]
            (config[:headers] || {}).each { |name, value| conn.headers[name.to_s] = value }
            conn.params.update(config[:params]) if config[:params]
            yield(conn) if block_given?
          end
        end

        def load_faraday
          require 'faraday'
          Object.const_get(:Faraday)
        rescue LoadError
          raise Errors::ConfigurationError, "#{self.class.name} makes HTTP calls through the faraday gem, which " \
                                            'is not installed: install it where the worker finds gems ' \
                                            '(GEM_PATH, or the handlers folder\'s vendor/)'
        end
      end
    end
  end
end
