#include "adapters/capture/capture_file.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <system_error>
#include <utility>

namespace tickflow {

namespace {

namespace fs = std::filesystem;

constexpr std::string_view magic = "tickflow-capture";
constexpr size_t record_head = 16; // u64 recv_ns, u32 + u32 lengths
constexpr size_t max_header_line = 256;
// Sanity bounds: a length beyond these is a corrupt file, not a frame.
constexpr uint32_t max_connection_bytes = 4096;
constexpr uint32_t max_frame_bytes = uint32_t{1} << 30;

void put_le(unsigned char* p, uint64_t v, size_t n) {
  for (size_t i = 0; i < n; ++i)
    p[i] = static_cast<unsigned char>(v >> (8 * i));
}

uint64_t get_le(const unsigned char* p, size_t n) {
  uint64_t v = 0;
  for (size_t i = 0; i < n; ++i)
    v |= static_cast<uint64_t>(p[i]) << (8 * i);
  return v;
}

std::string header_line(const std::string& provider) {
  return std::string{magic} + " " + std::to_string(capture_format_version)
         + " " + provider + "\n";
}

// A provider name safe in a file name.
bool valid_provider(const std::string& p) {
  if (p.empty() || p.size() > 64)
    return false;
  return std::all_of(p.begin(), p.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
  });
}

// Reads the header line; false when it is not a capture header.
bool read_header(std::FILE* f, std::string& provider, int& version) {
  std::string line;
  for (;;) {
    int c = std::fgetc(f);
    if (c == EOF)
      return false;
    if (c == '\n')
      break;
    line.push_back(static_cast<char>(c));
    if (line.size() > max_header_line)
      return false;
  }
  // "tickflow-capture <version> <provider>"
  if (line.compare(0, magic.size(), magic) != 0 || line.size() <= magic.size()
      || line[magic.size()] != ' ')
    return false;
  auto rest = line.substr(magic.size() + 1);
  auto sp = rest.find(' ');
  if (sp == std::string::npos || sp == 0)
    return false;
  auto v = rest.substr(0, sp);
  if (!std::all_of(v.begin(), v.end(), [](char c) { return c >= '0' && c <= '9'; })
      || v.size() > 4)
    return false;
  version = std::stoi(v);
  provider = rest.substr(sp + 1);
  return version == capture_format_version && valid_provider(provider);
}

// Reads one record; false at the end or on a torn / impossible record.
bool read_record(std::FILE* f, captured_frame& out) {
  unsigned char head[record_head];
  if (std::fread(head, 1, record_head, f) != record_head)
    return false;
  auto conn_len = static_cast<uint32_t>(get_le(head + 8, 4));
  auto frame_len = static_cast<uint32_t>(get_le(head + 12, 4));
  if (conn_len > max_connection_bytes || frame_len > max_frame_bytes)
    return false;
  out.recv_ns = static_cast<int64_t>(get_le(head, 8));
  out.connection.resize(conn_len);
  out.frame.resize(frame_len);
  if (conn_len > 0 && std::fread(out.connection.data(), 1, conn_len, f) != conn_len)
    return false;
  if (frame_len > 0 && std::fread(out.frame.data(), 1, frame_len, f) != frame_len)
    return false;
  return true;
}

// Where the complete records of an existing file end (0: no valid header).
long valid_length(const std::string& path) {
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (!f)
    return 0;
  std::string provider;
  int version = 0;
  long end = 0;
  if (read_header(f, provider, version)) {
    end = std::ftell(f);
    captured_frame x;
    while (read_record(f, x))
      end = std::ftell(f);
  }
  std::fclose(f);
  return end;
}

} // namespace

// -- capture_writer -----------------------------------------------------------

capture_writer::capture_writer(std::string dir, std::string provider)
    : dir_(std::move(dir)), provider_(std::move(provider)) {
  // nop
}

capture_writer::~capture_writer() {
  close();
}

void capture_writer::close() {
  if (file_)
    std::fclose(file_);
  file_ = nullptr;
  current_path_.clear();
}

std::string capture_writer::file_for(int64_t recv_ns) const {
  // Floor division, so times before 1970 land in the right hour too.
  int64_t secs = recv_ns / 1'000'000'000;
  if (recv_ns < 0 && recv_ns % 1'000'000'000 != 0)
    --secs;
  auto t = static_cast<std::time_t>(secs);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char stamp[32];
  std::snprintf(stamp, sizeof stamp, "%04d%02d%02d-%02d",
                (tm.tm_year + 1900) % 10000, tm.tm_mon + 1, tm.tm_mday,
                tm.tm_hour);
  return (fs::path{dir_} / (provider_ + "-" + stamp + ".cap")).string();
}

result<void> capture_writer::write(const captured_frame& f) {
  if (!valid_provider(provider_))
    return error{errc::invalid_argument,
                 "capture: provider name must be [a-z0-9_]+"};
  if (f.connection.size() > max_connection_bytes
      || f.frame.size() > max_frame_bytes)
    return error{errc::invalid_argument, "capture: record too large"};
  auto path = file_for(f.recv_ns);
  if (path != current_path_ || !file_) {
    close();
    std::error_code ec;
    fs::create_directories(dir_, ec);
    // A torn tail left by a crash is cut off before appending, so the
    // records written now stay readable. Files this writer already made
    // whole are not scanned again (late frames may switch back and forth).
    long keep = 0;
    if (std::find(checked_.begin(), checked_.end(), path) != checked_.end()) {
      keep = 1;
    } else {
      keep = valid_length(path);
      if (fs::exists(path, ec)
          && static_cast<uintmax_t>(keep) != fs::file_size(path, ec))
        fs::resize_file(path, static_cast<uintmax_t>(keep), ec);
      checked_.push_back(path);
      if (checked_.size() > 8)
        checked_.erase(checked_.begin());
    }
    file_ = std::fopen(path.c_str(), "ab");
    if (!file_)
      return error{errc::unavailable, "capture: cannot open " + path + ": "
                                        + std::strerror(errno)};
    current_path_ = path;
    if (keep == 0) {
      auto h = header_line(provider_);
      if (std::fwrite(h.data(), 1, h.size(), file_) != h.size()) {
        close();
        return error{errc::unavailable, "capture: cannot write " + path};
      }
    }
  }
  unsigned char head[record_head];
  put_le(head, static_cast<uint64_t>(f.recv_ns), 8);
  put_le(head + 8, f.connection.size(), 4);
  put_le(head + 12, f.frame.size(), 4);
  bool ok = std::fwrite(head, 1, record_head, file_) == record_head
            && std::fwrite(f.connection.data(), 1, f.connection.size(), file_)
                 == f.connection.size()
            && std::fwrite(f.frame.data(), 1, f.frame.size(), file_)
                 == f.frame.size();
  if (!ok) {
    auto failed = current_path_;
    close();
    return error{errc::unavailable, "capture: cannot write " + failed};
  }
  return {};
}

void capture_writer::flush() {
  if (file_)
    std::fflush(file_);
}

// -- capture_reader -----------------------------------------------------------

result<capture_reader> capture_reader::open(const std::string& path) {
  capture_reader r;
  r.file_ = std::fopen(path.c_str(), "rb");
  if (!r.file_)
    return error{errc::not_found, "capture: cannot open " + path};
  if (!read_header(r.file_, r.provider_, r.version_))
    return error{errc::malformed, "capture: " + path + " has no capture header"};
  return r;
}

capture_reader::capture_reader(capture_reader&& other) noexcept
    : file_(std::exchange(other.file_, nullptr)),
      provider_(std::move(other.provider_)),
      version_(other.version_) {
  // nop
}

capture_reader& capture_reader::operator=(capture_reader&& other) noexcept {
  if (this != &other) {
    if (file_)
      std::fclose(file_);
    file_ = std::exchange(other.file_, nullptr);
    provider_ = std::move(other.provider_);
    version_ = other.version_;
  }
  return *this;
}

capture_reader::~capture_reader() {
  if (file_)
    std::fclose(file_);
}

std::optional<captured_frame> capture_reader::next() {
  if (!file_)
    return std::nullopt;
  captured_frame x;
  if (!read_record(file_, x)) {
    // The end, or a torn record: nothing after it is trusted.
    std::fclose(file_);
    file_ = nullptr;
    return std::nullopt;
  }
  return x;
}

// -- capture_files ------------------------------------------------------------

std::vector<std::string> capture_files(const std::string& dir,
                                       const std::string& provider) {
  std::vector<std::string> out;
  std::error_code ec;
  fs::directory_iterator it{dir, ec};
  if (ec)
    return out;
  auto prefix = provider + "-";
  for (; it != fs::directory_iterator{}; it.increment(ec)) {
    if (ec)
      break;
    auto name = it->path().filename().string();
    // "<provider>-YYYYMMDD-HH.cap"
    if (name.size() != prefix.size() + 15 || name.compare(0, prefix.size(), prefix) != 0
        || name.compare(name.size() - 4, 4, ".cap") != 0)
      continue;
    auto stamp = name.substr(prefix.size(), 11);
    bool shaped = stamp[8] == '-';
    for (size_t i = 0; i < stamp.size() && shaped; ++i)
      shaped = i == 8 || (stamp[i] >= '0' && stamp[i] <= '9');
    if (shaped)
      out.push_back(it->path().string());
  }
  std::sort(out.begin(), out.end());
  return out;
}

} // namespace tickflow
