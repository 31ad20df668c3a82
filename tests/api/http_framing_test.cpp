#include "api/http_framing.hpp"

#include <optional>
#include <string>

#include <gtest/gtest.h>

using tickflow::api::framing_problem;
using tickflow::api::request_framing;

namespace {

struct framing_case {
  const char* name;
  request_framing head;
  bool refused;
};

request_framing head(unsigned version, size_t hosts, size_t te_lines = 0,
                     std::string_view te = {}, bool content_length = false) {
  request_framing f;
  f.version = version;
  f.host_fields = hosts;
  f.transfer_encoding_fields = te_lines;
  f.transfer_encoding = te;
  f.content_length = content_length;
  return f;
}

} // namespace

TEST(HttpFraming, OnlyExactlyChunkedOrALengthFramesABody) {
  const framing_case cases[] = {
    {"1.1 with one Host", head(11, 1), false},
    {"1.1 with a length", head(11, 1, 0, {}, true), false},
    {"1.1 chunked", head(11, 1, 1, "chunked"), false},
    {"chunked in capitals", head(11, 1, 1, "CHUNKED"), false},
    {"chunked with blanks around", head(11, 1, 1, " \tChunked "), false},
    {"1.0 without Host", head(10, 0), false},
    {"1.0 with a length", head(10, 1, 0, {}, true), false},
    {"1.1 without Host", head(11, 0), true},
    {"two Host lines", head(11, 2), true},
    {"500 Host lines", head(11, 500), true},
    {"1.0 with two Host lines", head(10, 2), true},
    {"chunked, identity", head(11, 1, 1, "chunked, identity"), true},
    {"identity", head(11, 1, 1, "identity"), true},
    {"xchunked", head(11, 1, 1, "xchunked"), true},
    {"chunkedx", head(11, 1, 1, "chunkedx"), true},
    {"gzip", head(11, 1, 1, "gzip"), true},
    {"gzip, chunked", head(11, 1, 1, "gzip, chunked"), true},
    {"empty value", head(11, 1, 1, ""), true},
    {"two chunked lines", head(11, 1, 2, "chunked"), true},
    {"identity with a length", head(11, 1, 1, "identity", true), true},
    {"chunked with a length", head(11, 1, 1, "chunked", true), true},
    {"chunked on 1.0", head(10, 1, 1, "chunked"), true},
  };
  for (auto& k : cases) {
    SCOPED_TRACE(k.name);
    auto why = framing_problem(k.head);
    EXPECT_EQ(why.has_value(), k.refused);
    if (why) {
      EXPECT_FALSE(why->empty());
    }
  }
}

TEST(HttpFraming, ReasonsNameTheRule) {
  EXPECT_EQ(framing_problem(head(11, 2)).value_or(""), "more than one Host header");
  EXPECT_EQ(framing_problem(head(11, 0)).value_or(""),
            "an HTTP/1.1 request without a Host header");
  EXPECT_EQ(framing_problem(head(11, 1, 1, "chunked", true)).value_or(""),
            "both Transfer-Encoding and Content-Length");
  EXPECT_EQ(framing_problem(head(11, 1, 1, "gzip")).value_or(""),
            "a Transfer-Encoding other than chunked");
  EXPECT_EQ(framing_problem(head(10, 1, 1, "chunked")).value_or(""),
            "Transfer-Encoding in an HTTP/1.0 request");
}
