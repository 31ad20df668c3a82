#pragma once

// Raw capture of received WebSocket frames, for replaying a live session in
// tests and post-mortems. Files rotate hourly by receive time:
// <dir>/<provider>-YYYYMMDD-HH.cap (UTC). Layout: one header line
//   "tickflow-capture 1 <provider>\n"
// then records, each
//   u64 recv_ns | u32 connection length | u32 frame length | connection | frame
// (integers little-endian), so frames may hold any bytes. A record cut short
// by a crash ends the file cleanly on reading.

#include <cstdint>
#include <cstdio>
#include <optional>
#include <string>
#include <vector>

#include "pipeline/model/error.hpp"

namespace tickflow {

/// One received frame.
struct captured_frame {
  int64_t recv_ns = 0;     ///< when it arrived, UTC ns
  std::string connection;  ///< which connection ("binance#0")
  std::string frame;       ///< the bytes as received
};

/// The format version written in the header line.
inline constexpr int capture_format_version = 1;

/// Appends frames to hourly capture files. Not thread-safe.
class capture_writer {
 public:
  /// Writes under `dir` (created when missing) for `provider` ("binance").
  capture_writer(std::string dir, std::string provider);
  ~capture_writer();
  capture_writer(const capture_writer&) = delete;
  capture_writer& operator=(const capture_writer&) = delete;

  /// Appends `f` to the file of its hour (opened or appended to as needed).
  /// errc::unavailable when the file cannot be opened or written.
  result<void> write(const captured_frame& f);

  /// Pushes buffered records to the OS.
  void flush();

  /// The file name of the hour holding `recv_ns`
  /// ("<dir>/<provider>-YYYYMMDD-HH.cap").
  std::string file_for(int64_t recv_ns) const;

 private:
  void close();

  std::string dir_;
  std::string provider_;
  std::string current_path_;
  std::FILE* file_ = nullptr;
  std::vector<std::string> checked_; // files already made whole, newest last
};

/// Reads one capture file, record by record.
class capture_reader {
 public:
  /// Opens `path` and checks its header: errc::not_found when it cannot be
  /// opened, errc::malformed when the header is not a capture header.
  static result<capture_reader> open(const std::string& path);

  capture_reader(capture_reader&& other) noexcept;
  capture_reader& operator=(capture_reader&& other) noexcept;
  capture_reader(const capture_reader&) = delete;
  capture_reader& operator=(const capture_reader&) = delete;
  ~capture_reader();

  /// The next record; nullopt at the end, also when the last record is torn
  /// (cut short by a crash) or a length is impossible.
  std::optional<captured_frame> next();

  /// The provider named in the header.
  const std::string& provider() const noexcept { return provider_; }

  /// The format version named in the header.
  int version() const noexcept { return version_; }

 private:
  capture_reader() = default;

  std::FILE* file_ = nullptr;
  std::string provider_;
  int version_ = 0;
};

/// The capture files of `provider` under `dir`, oldest first (names sort by
/// hour). Empty when there are none or `dir` does not exist.
std::vector<std::string> capture_files(const std::string& dir,
                                       const std::string& provider);

} // namespace tickflow
