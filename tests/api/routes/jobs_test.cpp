// api/routes/jobs: the async fetch body and the jobs routes' answers.

#include "api/routes/jobs.hpp"

#include <gtest/gtest.h>

using namespace tickflow::api;

namespace {

std::string refusal(const std::string& body) {
  auto v = parse_fetch_async(body);
  auto* r = std::get_if<http_response>(&v);
  return r ? r->body : std::string{};
}

TEST(JobsRoutes, AsyncFetchBody) {
  EXPECT_EQ(refusal("nope"), R"({"error":{"code":"invalid_body","message":)"
                             R"("expected a JSON object {\"symbols\":[...]}"}})");
  EXPECT_EQ(refusal(R"({"symbols":[]})"),
            R"({"error":{"code":"invalid_body","message":"symbols must be a non-empty array",)"
            R"("field":"symbols"}})");
  EXPECT_EQ(refusal(R"({"symbols":["A"],"type":"quote"})"),
            R"({"error":{"code":"invalid_body","message":"type must be price or ohlcv",)"
            R"("field":"type"}})");
  EXPECT_EQ(refusal(R"({"symbols":["A"],"limit":5})"),
            R"({"error":{"code":"invalid_body","message":"limit is for type ohlcv",)"
            R"("field":"limit"}})");
  EXPECT_EQ(refusal(R"({"symbols":["A"],"type":"ohlcv","start":-1})"),
            R"({"error":{"code":"invalid_body","message":"start must be a string or a number",)"
            R"("field":"start"}})");
  EXPECT_EQ(refusal(R"({"symbols":["a b"]})"),
            R"({"error":{"code":"invalid_body","message":)"
            R"("every symbol must be a canonical id such as BTC-USDT","field":"symbols"}})");
  std::string many = R"({"symbols":[)";
  for (size_t i = 0; i <= max_async_symbols; ++i)
    many += i ? ",\"A\"" : "\"A\"";
  EXPECT_NE(refusal(many + "]}").find("at most 1000 symbols"), std::string::npos);
  auto ok = std::get<async_fetch>(parse_fetch_async(
    R"({"symbols":["BTC-USDT","EURUSD=X"],"type":"ohlcv","interval":"1m","limit":5})"));
  EXPECT_EQ(ok.labels, (std::vector<std::string>{"BTC-USDT", "EURUSD=X"}));
  EXPECT_EQ(ok.targets, (std::vector<std::string>{
                          "/api/v1/data/ohlcv?symbol=BTC-USDT&interval=1m&limit=5",
                          "/api/v1/data/ohlcv?symbol=EURUSD%3DX&interval=1m&limit=5"}));
}

TEST(JobsRoutes, Answers) {
  EXPECT_EQ(async_accepted("j-3").status, 202u);
  EXPECT_EQ(async_accepted("j-3").body, R"({"job_id":"j-3","status_url":"/api/v1/jobs/j-3"})");
  EXPECT_EQ(async_accepted("").status, 503u);
  EXPECT_EQ(job_answer("j-9", "").body,
            R"({"error":{"code":"unknown_job","message":"no async job j-9","field":"id"}})");
  EXPECT_EQ(job_answer("j-1", "{}").body, "{}");
  EXPECT_EQ(job_started("warm").body, R"({"job":"warm","status":"started"})");
  EXPECT_EQ(job_running("warm").status, 409u);
  EXPECT_EQ(unknown_job("x").body,
            R"({"error":{"code":"unknown_job","message":"no job named x","field":"name"}})");
  EXPECT_EQ(jobs_unavailable().body, R"({"error":{"code":"unavailable","message":)"
                                     R"("the jobs actor did not answer in time"}})");
}

} // namespace
