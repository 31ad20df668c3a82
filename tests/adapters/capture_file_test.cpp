#include "adapters/capture/capture_file.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "pipeline/model/time.hpp"
#include "tests/support/process.hpp"

namespace tickflow {
namespace {

namespace fs = std::filesystem;

// 2023-11-14T22:13:20Z
constexpr int64_t t0 = 1'700'000'000 * ns_per_s;
constexpr int64_t hour = 3600 * ns_per_s;

// A temporary directory removed at the end of the test.
class scratch {
 public:
  scratch() : path_(test::temp_dir()) {}
  ~scratch() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

std::vector<captured_frame> read_all(const std::string& path) {
  std::vector<captured_frame> out;
  auto r = capture_reader::open(path);
  EXPECT_TRUE(r) << path;
  if (!r)
    return out;
  while (auto f = r->next())
    out.push_back(*f);
  return out;
}

TEST(CaptureFile, RoundTripsAnyBytes) {
  scratch dir;
  std::string binary;
  for (int i = 0; i < 256; ++i)
    binary.push_back(static_cast<char>(i));
  std::vector<captured_frame> frames{
    {t0, "binance#0", R"({"stream":"btcusdt@trade","data":{}})"},
    {t0 + 1, "binance#1", binary + "\n\r\0tail"},
    {t0 + 2, "", ""},
    {t0 + 3, "binance#0", std::string(100'000, 'x')},
  };
  {
    capture_writer w{dir.path(), "binance"};
    for (const auto& f : frames)
      ASSERT_TRUE(w.write(f));
    w.flush();
  }
  auto files = capture_files(dir.path(), "binance");
  ASSERT_EQ(files.size(), 1u);
  EXPECT_EQ(fs::path{files[0]}.filename().string(), "binance-20231114-22.cap");
  auto r = capture_reader::open(files[0]);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->provider(), "binance");
  EXPECT_EQ(r->version(), 1);
  auto got = read_all(files[0]);
  ASSERT_EQ(got.size(), frames.size());
  for (size_t i = 0; i < frames.size(); ++i) {
    EXPECT_EQ(got[i].recv_ns, frames[i].recv_ns);
    EXPECT_EQ(got[i].connection, frames[i].connection);
    EXPECT_EQ(got[i].frame, frames[i].frame);
  }
  // The header line names the format and the provider.
  std::ifstream in{files[0], std::ios::binary};
  std::string header;
  std::getline(in, header);
  EXPECT_EQ(header, "tickflow-capture 1 binance");
}

TEST(CaptureFile, RotatesHourlyByReceiveTime) {
  scratch dir;
  {
    capture_writer w{dir.path(), "polygon"};
    ASSERT_TRUE(w.write({t0, "polygon#0", "a"}));
    ASSERT_TRUE(w.write({t0 + hour, "polygon#0", "b"}));
    ASSERT_TRUE(w.write({t0 + 26 * hour, "polygon#0", "c"}));
    ASSERT_TRUE(w.write({t0 + 1, "polygon#0", "a2"})); // a late frame: back to its hour
  }
  capture_writer other{dir.path(), "finnhub"};
  ASSERT_TRUE(other.write({t0, "finnhub#0", "z"}));
  other.flush();
  auto files = capture_files(dir.path(), "polygon");
  ASSERT_EQ(files.size(), 3u);
  EXPECT_EQ(fs::path{files[0]}.filename().string(), "polygon-20231114-22.cap");
  EXPECT_EQ(fs::path{files[1]}.filename().string(), "polygon-20231114-23.cap");
  EXPECT_EQ(fs::path{files[2]}.filename().string(), "polygon-20231116-00.cap");
  auto first = read_all(files[0]);
  ASSERT_EQ(first.size(), 2u);
  EXPECT_EQ(first[0].frame, "a");
  EXPECT_EQ(first[1].frame, "a2");
  EXPECT_EQ(read_all(files[2]).at(0).frame, "c");
  EXPECT_EQ(capture_files(dir.path(), "finnhub").size(), 1u);
  EXPECT_TRUE(capture_files(dir.path() + "/missing", "polygon").empty());
}

TEST(CaptureFile, TornTailEndsTheFileCleanly) {
  scratch dir;
  std::string path;
  {
    capture_writer w{dir.path(), "binance"};
    ASSERT_TRUE(w.write({t0, "c", "first"}));
    ASSERT_TRUE(w.write({t0 + 1, "c", "second frame"}));
    path = w.file_for(t0);
  }
  auto full = fs::file_size(path);
  // A crash mid-record: every cut inside the last record reads as one record.
  for (uintmax_t cut = 1; cut < 16 + 1 + 12; ++cut) {
    auto copy = dir.path() + "/torn.cap";
    fs::copy_file(path, copy, fs::copy_options::overwrite_existing);
    fs::resize_file(copy, full - cut);
    auto got = read_all(copy);
    ASSERT_EQ(got.size(), 1u) << "cut " << cut;
    EXPECT_EQ(got[0].frame, "first");
  }
  // Appending after a crash cuts the torn tail first, so new records read.
  fs::resize_file(path, full - 5);
  {
    capture_writer w{dir.path(), "binance"};
    ASSERT_TRUE(w.write({t0 + 2, "c", "after restart"}));
  }
  auto got = read_all(path);
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[1].frame, "after restart");
}

TEST(CaptureFile, RejectsWhatIsNotACapture) {
  scratch dir;
  EXPECT_EQ(capture_reader::open(dir.path() + "/nope.cap").err().code, errc::not_found);
  auto junk = dir.path() + "/junk.cap";
  std::ofstream{junk} << "GIF89a...";
  EXPECT_EQ(capture_reader::open(junk).err().code, errc::malformed);
  auto other = dir.path() + "/v9.cap";
  std::ofstream{other} << "tickflow-capture 9 binance\n";
  EXPECT_EQ(capture_reader::open(other).err().code, errc::malformed);
  // A length beyond reason is corruption: the reader stops.
  auto corrupt = dir.path() + "/corrupt.cap";
  {
    std::ofstream out{corrupt, std::ios::binary};
    out << "tickflow-capture 1 binance\n";
    std::string head(16, '\xff');
    out << head << "xx";
  }
  EXPECT_TRUE(read_all(corrupt).empty());
  capture_writer bad{dir.path(), "../escape"};
  EXPECT_EQ(bad.write({t0, "c", "x"}).err().code, errc::invalid_argument);
}

} // namespace
} // namespace tickflow
