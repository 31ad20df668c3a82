#include "adapters/common/provider_errors.hpp"

#include <gtest/gtest.h>

#include <optional>
#include <string>

#include "pipeline/model/time.hpp"
#include "tests/support/adapter_test_support.hpp"

namespace tickflow {
namespace {

using test::reply_of;

constexpr int64_t day = 86'400 * ns_per_s;
constexpr int64_t now = 1'700'000'000 * ns_per_s; // 2023-11-14T22:13:20Z

TEST(ProviderErrors, ToFetchErrorKeepsCodeAndContext) {
  auto e = to_fetch_error(error{errc::unknown_symbol, "ZZZZ"});
  EXPECT_EQ(e.code, errc::unknown_symbol);
  EXPECT_EQ(e.message, "ZZZZ");
  EXPECT_EQ(e.retry_after_ns, 0);
  e = to_fetch_error(error{errc::missing_field, "results[0].o"});
  EXPECT_EQ(e.code, errc::missing_field);
  EXPECT_EQ(e.message, "results[0].o");
}

TEST(ProviderErrors, FoldParseErrorMakesParseCodesMalformed) {
  const errc folded[] = {errc::malformed, errc::missing_field,
                         errc::bad_number, errc::out_of_range};
  for (auto code : folded) {
    SCOPED_TRACE(to_string(code));
    error in{code, "c[2]"};
    auto e = fold_parse_error(in);
    EXPECT_EQ(e.code, errc::malformed);
    EXPECT_EQ(e.message, in.message());
    EXPECT_EQ(e.retry_after_ns, 0);
  }
  const errc kept[] = {errc::not_found, errc::unknown_symbol,
                       errc::invalid_argument};
  for (auto code : kept) {
    SCOPED_TRACE(to_string(code));
    auto e = fold_parse_error(error{code, "AAPL"});
    EXPECT_EQ(e.code, code);
    EXPECT_EQ(e.message, "AAPL");
  }
}

TEST(ProviderErrors, ClassifiesErrorReplies) {
  const std::string long_message(300, 'x');
  struct row {
    const char* name;
    http_reply reply;
    bool body_error;
    std::string provider_message;
    std::optional<errc> code; // nullopt: not an error
    std::string message;
    int64_t retry_after_ns;
  };
  const row rows[] = {
    {"2xx, no body error", reply_of(200, ""), false, "ignored", std::nullopt,
     "", 0},
    {"2xx body error", reply_of(200, ""), true, "", errc::provider_error,
     "fallback", 0},
    {"2xx body error with message", reply_of(200, ""), true, "Bad thing",
     errc::provider_error, "Bad thing", 0},
    {"401", reply_of(401, ""), false, "", errc::unauthorized, "HTTP 401", 0},
    {"404 with message", reply_of(404, ""), true, "Data not found.",
     errc::not_found, "Data not found.", 0},
    {"429", reply_of(429, "", {{"retry-after", "7"}}), false, "slow down",
     errc::rate_limited, "slow down", 7 * ns_per_s},
    {"500", reply_of(500, ""), false, "", errc::provider_error, "HTTP 500", 0},
    {"long message", reply_of(400, ""), false, long_message,
     errc::provider_error, std::string(max_provider_message, 'x'), 0},
  };
  for (const auto& r : rows) {
    SCOPED_TRACE(r.name);
    auto e = classify_error_reply(r.reply, r.body_error, r.provider_message,
                                  "fallback", now);
    ASSERT_EQ(e.has_value(), r.code.has_value());
    if (!e)
      continue;
    EXPECT_EQ(e->code, *r.code);
    EXPECT_EQ(e->message, r.message);
    EXPECT_EQ(e->retry_after_ns, r.retry_after_ns);
  }
}

// A provider whose error bodies are {"error":"..."}.
std::optional<fetch_error> error_member(const http_reply& reply,
                                        const json::exact_document* doc,
                                        int64_t now_ns) {
  auto message = doc != nullptr ? doc->string_member(doc->root(), "error")
                                : std::string_view{};
  return classify_error_reply(reply, !message.empty(), message, "error body",
                              now_ns);
}

TEST(ProviderErrors, ReadsExactReplies) {
  struct row {
    const char* name;
    http_reply reply;
    std::optional<errc> code; // nullopt: the document is ready
    std::string message;
  };
  const row rows[] = {
    {"data", reply_of(200, R"({"c":1.5})"), std::nullopt, ""},
    {"error body", reply_of(200, R"({"error":"no"})"), errc::provider_error,
     "no"},
    {"status first", reply_of(401, "<html>"), errc::unauthorized, "HTTP 401"},
    {"not JSON", reply_of(200, "<html>"), errc::malformed,
     "malformed: offset 0: Invalid value."},
  };
  for (const auto& r : rows) {
    SCOPED_TRACE(r.name);
    json::exact_document doc;
    auto e = read_exact_reply(r.reply, now, error_member, doc);
    ASSERT_EQ(e.has_value(), r.code.has_value());
    if (!e) {
      EXPECT_TRUE(doc.is_number(doc.root()["c"]));
      continue;
    }
    EXPECT_EQ(e->code, *r.code);
    EXPECT_EQ(e->message, r.message);
  }
}

TEST(ProviderErrors, ReadsNumberTextReplies) {
  // A provider whose error bodies are {"note":"..."}, any status.
  auto note = [](const rapidjson::Value& body) -> std::optional<fetch_error> {
    auto n = json::member(body, "note");
    if (n == nullptr || !n->IsString())
      return std::nullopt;
    return fetch_error{errc::rate_limited, std::string{json::text_of(*n)}, 1};
  };
  struct row {
    const char* name;
    http_reply reply;
    std::optional<errc> code; // nullopt: the document is ready
    std::string message;
  };
  const row rows[] = {
    {"data", reply_of(200, R"({"c":1.5})"), std::nullopt, ""},
    {"body before status", reply_of(500, R"({"note":"wait"})"),
     errc::rate_limited, "wait"},
    {"status", reply_of(403, R"({"c":1})"), errc::unauthorized, "HTTP 403"},
    {"status before not JSON", reply_of(404, "<html>"), errc::not_found,
     "HTTP 404"},
    {"not JSON", reply_of(200, "<html>"), errc::malformed,
     "Invalid value. at offset 0"},
  };
  for (const auto& r : rows) {
    SCOPED_TRACE(r.name);
    rapidjson::Document doc;
    auto e = read_number_text_reply(r.reply, now, note, doc);
    ASSERT_EQ(e.has_value(), r.code.has_value());
    if (!e) {
      EXPECT_EQ(json::text_of(doc["c"]), "1.5"); // number text kept
      continue;
    }
    EXPECT_EQ(e->code, *r.code);
    EXPECT_EQ(e->message, r.message);
  }
}

TEST(ProviderErrors, NsUntilNextUtcMidnight) {
  struct row {
    int64_t now_ns;
    int64_t wait_ns;
  };
  const row rows[] = {
    {0, day},
    {1, day - 1},
    {day - 1, 1},
    {20 * day + 3600 * ns_per_s, 23 * 3600 * ns_per_s},
    {-1, 1},          // 1969-12-31T23:59:59.999999999Z
    {-day, day},      // midnight before the epoch
    {-day - 1, 1},
  };
  for (const auto& r : rows) {
    SCOPED_TRACE(r.now_ns);
    EXPECT_EQ(ns_until_next_utc_midnight(r.now_ns), r.wait_ns);
  }
}

} // namespace
} // namespace tickflow
