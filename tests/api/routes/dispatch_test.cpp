// api/routes/dispatch: path patterns, HEAD as GET, 404 and 405 with Allow.

#include "api/routes/dispatch.hpp"

#include <gtest/gtest.h>

using namespace tickflow::api;

namespace {

struct fake_route {
  std::string method;
  std::string pattern;
};

const std::vector<fake_route> routes{
  {"GET", "/health"},
  {"GET", "/api/v1/jobs/{id}"},
  {"POST", "/api/v1/jobs/{name}/run"},
  {"POST", "/api/v1/cache/clear"},
  {"GET", "/api/v1/cache/clear-not"},
};

TEST(Dispatch, MatchPath) {
  path_params ps;
  EXPECT_TRUE(match_path("/a/{id}/b", "/a/42/b", ps));
  ASSERT_EQ(ps.size(), 1u);
  EXPECT_EQ(ps[0], (std::pair<std::string, std::string>{"id", "42"}));
  EXPECT_FALSE(match_path("/a/{id}/b", "/a//b", ps)); // an empty segment
  EXPECT_FALSE(match_path("/a/{id}", "/a/1/2", ps));
  EXPECT_FALSE(match_path("/a", "/a/", ps));
  EXPECT_TRUE(match_path("/", "/", ps));
  EXPECT_TRUE(ps.empty());
}

TEST(Dispatch, FindRoute) {
  path_params ps;
  auto head = find_route(routes, "HEAD", "/health", ps);
  EXPECT_EQ(head.index, 0u);
  auto job = find_route(routes, "GET", "/api/v1/jobs/j-1", ps);
  EXPECT_EQ(job.index, 1u);
  ASSERT_EQ(ps.size(), 1u);
  EXPECT_EQ(ps[0].second, "j-1");
  auto wrong = find_route(routes, "GET", "/api/v1/cache/clear", ps);
  EXPECT_EQ(wrong.index, route_lookup::none);
  EXPECT_EQ(wrong.pattern_index, 3u);
  EXPECT_EQ(wrong.allowed, "POST");
  auto post_health = find_route(routes, "POST", "/health", ps);
  EXPECT_EQ(post_health.allowed, "GET, HEAD");
  auto none = find_route(routes, "GET", "/nowhere", ps);
  EXPECT_EQ(none.index, route_lookup::none);
  EXPECT_EQ(none.pattern_index, route_lookup::none);
  EXPECT_TRUE(none.allowed.empty());
}

TEST(Dispatch, NoRoute) {
  http_request req;
  req.method = "DELETE";
  req.path = "/health";
  auto r = no_route(req, "GET, HEAD");
  EXPECT_EQ(r.status, 405u);
  EXPECT_EQ(r.body, R"({"error":{"code":"method_not_allowed","message":)"
                    R"("DELETE is not allowed on /health"}})");
  ASSERT_EQ(r.headers.size(), 1u);
  EXPECT_EQ(r.headers[0], (std::pair<std::string, std::string>{"Allow", "GET, HEAD"}));
  auto nf = no_route(req, "");
  EXPECT_EQ(nf.status, 404u);
  EXPECT_EQ(nf.body, R"({"error":{"code":"not_found","message":"no route /health"}})");
  EXPECT_EQ(method_label("PATCH"), "PATCH");
  EXPECT_EQ(method_label("BREW"), "other");
}

} // namespace
