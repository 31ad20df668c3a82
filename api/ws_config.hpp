#pragma once

// The websocketpp configuration of api/ws_server and the two places where
// websocketpp is narrowed for it: explicit specializations of two member
// functions of websocketpp's templates for this config only. The rest of
// websocketpp is untouched, and should a later websocketpp change their
// signatures, this fails to compile rather than silently not apply.
// Internal to ws_server.cpp: include it nowhere else.

#include <atomic>
#include <cstdint>
#include <memory>

#include <websocketpp/config/asio_no_tls.hpp>
#include <websocketpp/connection.hpp>
#include <websocketpp/processors/hybi13.hpp>

namespace tickflow::api::ws_detail {

/// Data websocketpp keeps inside every connection (it derives from this).
struct ws_connection_data {
  uint64_t id = 0; ///< 0 until the connection opens; then unique per server
  /// When the client was last heard from (any frame, ping or pong), steady
  /// clock ns. Atomic in case several threads run the io_context.
  std::atomic<int64_t> heard_ns{0};
  /// Pongs queued and not yet written; each pong's deleter counts itself
  /// out, so the counter outlives the connection that queued them.
  std::shared_ptr<std::atomic<size_t>> pongs_queued =
    std::make_shared<std::atomic<size_t>>(0);
};

/// config::asio (Boost.Asio, no TLS) plus our per-connection data.
struct ws_config : websocketpp::config::asio {
  using type = ws_config;
  using connection_base = ws_connection_data;
};

} // namespace tickflow::api::ws_detail

namespace websocketpp {

// Only RFC 6455 (Sec-WebSocket-Version: 13) is accepted. websocketpp would
// also speak versions 7 and 8, and Hixie-76 (no version header, no
// Sec-WebSocket-Key) whose 0x00-framed messages ignore max-message-bytes.
// Any other version, or none, is answered 426 Upgrade Required with
// Sec-WebSocket-Version: 13 (RFC 6455 4.4), before any processor exists.
template <>
inline lib::error_code
connection<tickflow::api::ws_detail::ws_config>::initialize_processor() {
  if (!processor::is_websocket_handshake(m_request))
    return lib::error_code(); // plain HTTP: the http handler answers
  if (m_request.get_header("Sec-WebSocket-Version") != "13") {
    m_response.set_status(http::status_code::upgrade_required);
    m_response.replace_header("Sec-WebSocket-Version", "13");
    m_response.replace_header("Content-Type", "application/json");
    m_response.replace_header("Cache-Control", "no-store");
    m_response.set_body("{\"error\":{\"code\":\"upgrade_required\",\"message\":"
                        "\"only WebSocket version 13 (RFC 6455) is supported\"}}");
    return error::make_error_code(error::unsupported_version);
  }
  m_processor = get_processor(13);
  return m_processor ? lib::error_code()
                     : error::make_error_code(error::general);
}

namespace processor {

// A frame length that is not minimally encoded (a 16- or 64-bit length that
// would fit the shorter form) is a protocol error: close 1002, as RFC 6455
// 5.2 reads, where websocketpp's own error maps to 1011.
template <>
inline lib::error_code
hybi13<tickflow::api::ws_detail::ws_config>::validate_incoming_extended_header(
  frame::basic_header h, frame::extended_header e) const {
  uint8_t basic_size = frame::get_basic_size(h);
  uint64_t payload_size = frame::get_payload_size(h, e);
  if ((basic_size == frame::payload_size_code_16bit
       && payload_size <= frame::limits::payload_size_basic)
      || (basic_size == frame::payload_size_code_64bit
          && payload_size <= frame::limits::payload_size_extended))
    return make_error_code(error::protocol_violation);
  return lib::error_code();
}

} // namespace processor

} // namespace websocketpp
