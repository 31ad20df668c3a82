#pragma once

// Helpers shared by the REST adapter tests
// (tests/adapters/<provider>_test.cpp): request and reply builders, checks
// on a fetch_outcome and exact decimals.
// Header-only on purpose: tests/support/*.cpp build tickflow_test_support,
// which does not link tickflow_adapters.

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

#include "adapters/common/rest_adapter.hpp"
#include "pipeline/model/decimal.hpp"
#include "pipeline/model/error.hpp"

namespace tickflow::test {

/// mantissa * 10^-scale: dec(7406, 2) is 74.06.
inline decimal dec(int64_t mantissa, uint8_t scale) {
  return decimal::from_parts(mantissa, scale);
}

/// The decimal of `text` ("74.06"); `text` must parse.
inline decimal dec(std::string_view text) {
  return *decimal::parse(text);
}

/// A reply as the curl client hands it to rest_adapter::parse.
inline http_reply reply_of(long status, std::string body,
                           kv_list headers = {}) {
  http_reply r;
  r.status = status;
  r.body = std::move(body);
  r.headers = std::move(headers);
  return r;
}

/// A fetch of `kind` for `instrument` (bars of `span`), no range or limit.
inline fetch_request request(fetch_kind kind, std::string instrument,
                             interval span = interval::d1) {
  fetch_request r;
  r.kind = kind;
  r.instrument = std::move(instrument);
  r.span = span;
  return r;
}

/// request(fetch_kind::price, instrument).
inline fetch_request price_of(std::string instrument) {
  return request(fetch_kind::price, std::move(instrument));
}

/// request(fetch_kind::bars, instrument, span).
inline fetch_request bars_of(std::string instrument, interval span) {
  return request(fetch_kind::bars, std::move(instrument), span);
}

/// The events of `x`; a test failure (and no events) when it is an error.
inline fetch_result expect_result(const fetch_outcome& x) {
  if (auto e = std::get_if<fetch_error>(&x)) {
    ADD_FAILURE() << "expected a result, got " << to_string(e->code) << ": "
                  << e->message;
    return {};
  }
  return std::get<fetch_result>(x);
}

/// The error of `x`; a test failure (and a default error) when it is a
/// result.
inline fetch_error expect_error(const fetch_outcome& x) {
  if (std::holds_alternative<fetch_result>(x)) {
    ADD_FAILURE() << "expected an error, got a result";
    return {};
  }
  return std::get<fetch_error>(x);
}

} // namespace tickflow::test
