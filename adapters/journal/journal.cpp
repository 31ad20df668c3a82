#include "adapters/journal/journal.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <limits>
#include <utility>

namespace tickflow::journal {

namespace {

constexpr size_t segment_header_size = 16;
constexpr size_t record_header_size = 16;
constexpr char segment_magic[8] = {'T', 'F', 'J', 'S', 'E', 'G', '0', '1'};
constexpr char state_magic[8] = {'T', 'F', 'J', 'S', 'T', 'A', 'T', '1'};
constexpr size_t state_size = 8 + 8 + 4;
constexpr std::string_view segment_suffix = ".seg";
constexpr size_t segment_name_digits = 20;
constexpr uint64_t min_segment_bytes = 64;

// -- little-endian fields -------------------------------------------------

void put_u32(char* out, uint32_t v) noexcept {
  for (int i = 0; i < 4; ++i)
    out[i] = static_cast<char>((v >> (8 * i)) & 0xff);
}

void put_u64(char* out, uint64_t v) noexcept {
  for (int i = 0; i < 8; ++i)
    out[i] = static_cast<char>((v >> (8 * i)) & 0xff);
}

uint32_t get_u32(const char* in) noexcept {
  uint32_t v = 0;
  for (int i = 3; i >= 0; --i)
    v = (v << 8) | static_cast<unsigned char>(in[i]);
  return v;
}

uint64_t get_u64(const char* in) noexcept {
  uint64_t v = 0;
  for (int i = 7; i >= 0; --i)
    v = (v << 8) | static_cast<unsigned char>(in[i]);
  return v;
}

// CRC of a record: length, seq and payload.
uint32_t record_crc(uint32_t len, uint64_t seq,
                    std::string_view payload) noexcept {
  char head[12];
  put_u32(head, len);
  put_u64(head + 4, seq);
  return crc32(payload, crc32(std::string_view{head, sizeof head}));
}

// -- POSIX helpers ------------------------------------------------------------

error io_error(const std::string& what, const std::string& path,
               int err = errno) {
  return error{errc::unavailable,
               "journal: " + what + " " + path + ": " + std::strerror(err)};
}

bool write_all(int fd, const char* data, size_t n) noexcept {
  while (n > 0) {
    auto w = ::write(fd, data, n);
    if (w < 0) {
      if (errno == EINTR)
        continue;
      return false;
    }
    data += w;
    n -= static_cast<size_t>(w);
  }
  return true;
}

// Reads up to `limit` bytes of a file (all of it when limit is max).
result<std::string>
read_file(const std::string& path,
          uint64_t limit = std::numeric_limits<uint64_t>::max(),
          uint64_t offset = 0) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return io_error("cannot open", path);
  std::string out;
  struct stat st;
  if (fstat(fd, &st) == 0 && static_cast<uint64_t>(st.st_size) > offset)
    out.reserve(static_cast<size_t>(
      std::min<uint64_t>(static_cast<uint64_t>(st.st_size) - offset, limit)));
  if (offset > 0 && ::lseek(fd, static_cast<off_t>(offset), SEEK_SET) < 0) {
    auto err = errno;
    ::close(fd);
    return io_error("cannot seek in", path, err);
  }
  char buf[1 << 16];
  while (out.size() < limit) {
    auto want = std::min<uint64_t>(sizeof buf, limit - out.size());
    auto r = ::read(fd, buf, static_cast<size_t>(want));
    if (r < 0) {
      if (errno == EINTR)
        continue;
      auto err = errno;
      ::close(fd);
      return io_error("cannot read", path, err);
    }
    if (r == 0)
      break;
    out.append(buf, static_cast<size_t>(r));
  }
  ::close(fd);
  return out;
}

std::string segment_name(uint64_t first_seq) {
  auto digits = std::to_string(first_seq);
  std::string out(segment_name_digits - digits.size(), '0');
  out.append(digits);
  out.append(segment_suffix);
  return out;
}

// First seq from a segment file name, or 0 if it is not one.
uint64_t parse_segment_name(std::string_view name) noexcept {
  if (name.size() != segment_name_digits + segment_suffix.size()
      || name.substr(segment_name_digits) != segment_suffix)
    return 0;
  uint64_t v = 0;
  for (size_t i = 0; i < segment_name_digits; ++i) {
    char c = name[i];
    if (c < '0' || c > '9')
      return 0;
    auto d = static_cast<uint64_t>(c - '0');
    if (v > (std::numeric_limits<uint64_t>::max() - d) / 10)
      return 0;
    v = v * 10 + d;
  }
  return v;
}

// Table of the reflected IEEE polynomial.
std::array<uint32_t, 256> make_crc_table() noexcept {
  std::array<uint32_t, 256> t{};
  for (uint32_t i = 0; i < 256; ++i) {
    uint32_t c = i;
    for (int k = 0; k < 8; ++k)
      c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
    t[i] = c;
  }
  return t;
}

} // namespace

uint32_t crc32(std::string_view data, uint32_t crc) noexcept {
  static const auto table = make_crc_table();
  crc = ~crc;
  for (char ch : data)
    crc = table[(crc ^ static_cast<unsigned char>(ch)) & 0xff] ^ (crc >> 8);
  return ~crc;
}

// -- lifecycle ----------------------------------------------------------------

result<disk_journal> disk_journal::open(journal_options opts) {
  if (opts.dir.empty())
    return {errc::invalid_argument, "journal: dir must not be empty"};
  if (opts.segment_bytes < min_segment_bytes)
    return {errc::invalid_argument,
            "journal: segment_bytes must be >= "
              + std::to_string(min_segment_bytes)};
  if (opts.max_bytes < opts.segment_bytes)
    return {errc::invalid_argument,
            "journal: max_bytes must be >= segment_bytes"};
  disk_journal j;
  j.opts_ = std::move(opts);
  auto& dir = j.opts_.dir;
  if (::mkdir(dir.c_str(), 0755) != 0 && errno != EEXIST)
    return io_error("cannot create", dir);
  j.dir_fd_ = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (j.dir_fd_ < 0)
    return io_error("cannot open directory", dir);
  auto lock_path = dir + "/lock";
  j.lock_fd_ = ::open(lock_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (j.lock_fd_ < 0)
    return io_error("cannot open", lock_path);
  if (::flock(j.lock_fd_, LOCK_EX | LOCK_NB) != 0) {
    if (errno == EWOULDBLOCK)
      return {errc::unavailable, "journal: " + dir + " is in use"};
    return io_error("cannot lock", lock_path);
  }
  if (auto ok = j.load(); !ok)
    return ok.err();
  return result<disk_journal>{std::move(j)};
}

disk_journal::~disk_journal() {
  if (opts_.sync != fsync_policy::never)
    sync();
  close_files();
}

disk_journal::disk_journal(disk_journal&& other) noexcept
  : opts_(std::move(other.opts_)),
    segments_(std::move(other.segments_)),
    active_fd_(std::exchange(other.active_fd_, -1)),
    lock_fd_(std::exchange(other.lock_fd_, -1)),
    dir_fd_(std::exchange(other.dir_fd_, -1)),
    dir_dirty_(std::exchange(other.dir_dirty_, false)),
    data_dirty_(std::exchange(other.data_dirty_, false)),
    stats_(other.stats_) {
  // nop
}

disk_journal& disk_journal::operator=(disk_journal&& other) noexcept {
  if (this != &other) {
    if (opts_.sync != fsync_policy::never)
      sync();
    close_files();
    opts_ = std::move(other.opts_);
    segments_ = std::move(other.segments_);
    active_fd_ = std::exchange(other.active_fd_, -1);
    lock_fd_ = std::exchange(other.lock_fd_, -1);
    dir_fd_ = std::exchange(other.dir_fd_, -1);
    dir_dirty_ = std::exchange(other.dir_dirty_, false);
    data_dirty_ = std::exchange(other.data_dirty_, false);
    stats_ = other.stats_;
  }
  return *this;
}

void disk_journal::close_files() noexcept {
  for (int* fd : {&active_fd_, &dir_fd_, &lock_fd_}) {
    if (*fd >= 0) {
      ::close(*fd);
      *fd = -1;
    }
  }
}

// -- loading ------------------------------------------------------------------

result<void> disk_journal::load() {
  auto& dir = opts_.dir;
  // The ack; a missing or damaged state file means "nothing acked", which
  // replays too much rather than too little.
  auto state_path = dir + "/journal.state";
  if (::access(state_path.c_str(), F_OK) == 0) {
    auto data = read_file(state_path);
    if (!data)
      return data.err();
    auto& s = *data;
    if (s.size() == state_size
        && std::memcmp(s.data(), state_magic, sizeof state_magic) == 0
        && crc32(std::string_view{s.data(), 16}) == get_u32(s.data() + 16))
      stats_.acked_seq = get_u64(s.data() + 8);
  }
  ::unlink((state_path + ".tmp").c_str());
  // Segments, oldest first.
  DIR* d = ::opendir(dir.c_str());
  if (d == nullptr)
    return io_error("cannot list", dir);
  while (auto* entry = ::readdir(d)) {
    if (auto first = parse_segment_name(entry->d_name); first > 0) {
      segment seg;
      seg.path = dir + "/" + entry->d_name;
      seg.first_seq = first;
      segments_.push_back(std::move(seg));
    }
  }
  ::closedir(d);
  std::sort(segments_.begin(), segments_.end(),
            [](const segment& a, const segment& b) {
              return a.first_seq < b.first_seq;
            });
  for (auto& seg : segments_)
    if (auto ok = scan(seg); !ok)
      return ok;
  // The next sequence continues after everything seen or acked.
  uint64_t last = stats_.acked_seq;
  for (auto& seg : segments_)
    last = std::max(last, seg.last_seq);
  stats_.next_seq = last + 1;
  // Drop fully acked segments, and empty ones unless it is the last one
  // and named for the next sequence (a crash right after creating it).
  std::vector<segment> keep;
  for (size_t i = 0; i < segments_.size(); ++i) {
    auto& seg = segments_[i];
    bool is_last = i + 1 == segments_.size();
    bool remove = seg.records == 0
                    ? !(is_last && seg.first_seq == stats_.next_seq
                        && seg.bytes == segment_header_size)
                    : seg.last_seq <= stats_.acked_seq;
    if (remove) {
      if (::unlink(seg.path.c_str()) != 0 && errno != ENOENT)
        return io_error("cannot delete", seg.path);
      dir_dirty_ = true;
    } else {
      keep.push_back(std::move(seg));
    }
  }
  segments_ = std::move(keep);
  recount();
  if (auto ok = open_active(); !ok)
    return ok;
  if (dir_dirty_ && opts_.sync == fsync_policy::always)
    return sync_dir();
  return {};
}

// Validates a segment; cuts a torn or corrupt tail off the file.
result<void> disk_journal::scan(segment& seg) {
  auto data = read_file(seg.path);
  if (!data)
    return data.err();
  auto& s = *data;
  size_t good = 0; // bytes up to the end of the last valid record
  if (s.size() >= segment_header_size
      && std::memcmp(s.data(), segment_magic, sizeof segment_magic) == 0
      && get_u64(s.data() + 8) == seg.first_seq) {
    good = segment_header_size;
    uint64_t expected = seg.first_seq;
    while (good + record_header_size <= s.size()) {
      auto len = get_u32(s.data() + good);
      auto crc = get_u32(s.data() + good + 4);
      auto seq = get_u64(s.data() + good + 8);
      if (len > s.size() - good - record_header_size || seq != expected)
        break;
      std::string_view payload{s.data() + good + record_header_size, len};
      if (record_crc(len, seq, payload) != crc)
        break;
      good += record_header_size + len;
      seg.last_seq = seq;
      ++seg.records;
      ++expected;
    }
  }
  if (good < s.size()) {
    // A crash in the middle of a write (or a damaged file): keep what is
    // intact. A file without a valid header is emptied, then removed by
    // load() as an empty segment.
    ++stats_.torn_records;
    stats_.torn_bytes += s.size() - good;
    if (::truncate(seg.path.c_str(), static_cast<off_t>(good)) != 0)
      return io_error("cannot truncate", seg.path);
    data_dirty_ = true;
  }
  seg.bytes = good;
  if (good < segment_header_size)
    seg.bytes = 0;
  return {};
}

result<void> disk_journal::open_active() {
  if (segments_.empty())
    return {};
  auto& seg = segments_.back();
  active_fd_ = ::open(seg.path.c_str(), O_WRONLY | O_APPEND | O_CLOEXEC);
  if (active_fd_ < 0)
    return io_error("cannot open", seg.path);
  return {};
}

// -- state --------------------------------------------------------------------

uint64_t disk_journal::pending_in(const segment& seg) const noexcept {
  if (seg.records == 0 || seg.last_seq <= stats_.acked_seq)
    return 0;
  auto first = seg.last_seq - seg.records + 1;
  return seg.last_seq - std::max(first - 1, stats_.acked_seq);
}

void disk_journal::recount() noexcept {
  stats_.pending_records = 0;
  stats_.bytes = 0;
  for (auto& seg : segments_) {
    stats_.pending_records += pending_in(seg);
    stats_.bytes += seg.bytes;
  }
  stats_.segments = segments_.size();
}

result<void> disk_journal::write_state() {
  char buf[state_size];
  std::memcpy(buf, state_magic, sizeof state_magic);
  put_u64(buf + 8, stats_.acked_seq);
  put_u32(buf + 16, crc32(std::string_view{buf, 16}));
  auto path = opts_.dir + "/journal.state";
  auto tmp = path + ".tmp";
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0)
    return io_error("cannot create", tmp);
  bool ok = write_all(fd, buf, sizeof buf);
  if (ok && opts_.sync != fsync_policy::never)
    ok = ::fdatasync(fd) == 0;
  auto err = errno;
  ::close(fd);
  if (!ok)
    return io_error("cannot write", tmp, err);
  if (::rename(tmp.c_str(), path.c_str()) != 0)
    return io_error("cannot rename", tmp);
  dir_dirty_ = true;
  if (opts_.sync == fsync_policy::always)
    return sync_dir();
  return {};
}

result<void> disk_journal::sync_dir() {
  if (dir_fd_ >= 0 && ::fsync(dir_fd_) != 0)
    return io_error("cannot sync", opts_.dir);
  dir_dirty_ = false;
  return {};
}

result<void> disk_journal::sync() {
  if (active_fd_ >= 0 && data_dirty_) {
    if (::fdatasync(active_fd_) != 0)
      return io_error("cannot sync", segments_.back().path);
  }
  data_dirty_ = false;
  if (dir_dirty_)
    return sync_dir();
  return {};
}

// -- segments -----------------------------------------------------------------

result<void> disk_journal::create_segment() {
  if (active_fd_ >= 0) {
    if (opts_.sync != fsync_policy::never && data_dirty_)
      ::fdatasync(active_fd_); // the old segment is complete: flush it
    ::close(active_fd_);
    active_fd_ = -1;
    data_dirty_ = false;
  }
  segment seg;
  seg.first_seq = stats_.next_seq;
  seg.path = opts_.dir + "/" + segment_name(seg.first_seq);
  int fd = ::open(seg.path.c_str(),
                  O_WRONLY | O_CREAT | O_TRUNC | O_APPEND | O_CLOEXEC, 0644);
  if (fd < 0)
    return io_error("cannot create", seg.path);
  char header[segment_header_size];
  std::memcpy(header, segment_magic, sizeof segment_magic);
  put_u64(header + 8, seg.first_seq);
  if (!write_all(fd, header, sizeof header)) {
    auto err = errno;
    ::close(fd);
    ::unlink(seg.path.c_str());
    return io_error("cannot write", seg.path, err);
  }
  seg.bytes = segment_header_size;
  active_fd_ = fd;
  data_dirty_ = true;
  dir_dirty_ = true;
  segments_.push_back(std::move(seg));
  recount();
  if (opts_.sync == fsync_policy::always)
    return sync();
  return {};
}

result<void> disk_journal::drop_oldest_segment() {
  auto& seg = segments_.front();
  stats_.dropped_records += pending_in(seg);
  stats_.dropped_bytes += seg.bytes;
  if (seg.records > 0 && seg.last_seq > stats_.acked_seq) {
    stats_.acked_seq = seg.last_seq; // dropped counts as done
    if (auto ok = write_state(); !ok)
      return ok;
  }
  if (segments_.size() == 1 && active_fd_ >= 0) {
    ::close(active_fd_);
    active_fd_ = -1;
    data_dirty_ = false;
  }
  if (::unlink(seg.path.c_str()) != 0 && errno != ENOENT)
    return io_error("cannot delete", seg.path);
  dir_dirty_ = true;
  segments_.erase(segments_.begin());
  recount();
  return {};
}

// -- operations ---------------------------------------------------------------

result<uint64_t> disk_journal::append(std::string_view payload) {
  uint64_t rec = record_header_size + payload.size();
  if (payload.size() > std::numeric_limits<uint32_t>::max()
      || segment_header_size + rec > opts_.max_bytes)
    return {errc::invalid_argument,
            "journal: a record of " + std::to_string(payload.size())
              + " bytes cannot fit in " + std::to_string(opts_.max_bytes)
              + " bytes"};
  auto needs_new_segment = [&] {
    return active_fd_ < 0
           || (segments_.back().records > 0
               && segments_.back().bytes + rec > opts_.segment_bytes);
  };
  auto needed = [&] {
    return rec + (needs_new_segment() ? segment_header_size : 0);
  };
  while (stats_.bytes + needed() > opts_.max_bytes) {
    if (opts_.when_full == full_policy::reject_new || segments_.empty()) {
      ++stats_.rejected_records;
      stats_.rejected_bytes += payload.size();
      return {errc::out_of_range,
              "journal full: " + std::to_string(stats_.bytes) + " of "
                + std::to_string(opts_.max_bytes) + " bytes used, "
                + std::to_string(stats_.pending_records)
                + " records pending"};
    }
    if (auto ok = drop_oldest_segment(); !ok)
      return ok.err();
  }
  if (needs_new_segment())
    if (auto ok = create_segment(); !ok)
      return ok.err();
  auto& seg = segments_.back();
  auto seq = stats_.next_seq;
  auto len = static_cast<uint32_t>(payload.size());
  std::string buf(record_header_size, '\0');
  put_u32(buf.data(), len);
  put_u32(buf.data() + 4, record_crc(len, seq, payload));
  put_u64(buf.data() + 8, seq);
  buf.append(payload);
  bool ok = write_all(active_fd_, buf.data(), buf.size());
  if (ok && opts_.sync == fsync_policy::always)
    ok = ::fdatasync(active_fd_) == 0;
  if (!ok) {
    auto err = errno;
    // Leave no partial record behind.
    if (::ftruncate(active_fd_, static_cast<off_t>(seg.bytes)) != 0) {
      // nop: the next open cuts the torn tail off anyway
    }
    return io_error("cannot append to", seg.path, err);
  }
  seg.bytes += rec;
  seg.last_seq = seq;
  ++seg.records;
  ++stats_.next_seq;
  ++stats_.appended;
  ++stats_.pending_records;
  stats_.bytes += rec;
  data_dirty_ = opts_.sync != fsync_policy::always;
  return seq;
}

result<size_t> disk_journal::replay(const replay_fn& fn) {
  size_t delivered = 0;
  for (auto& seg : segments_) {
    if (pending_in(seg) == 0)
      continue;
    // Skip what an earlier replay already read and the caller acked since.
    uint64_t begin = segment_header_size;
    if (seg.resume_pos > begin && seg.resume_pos <= seg.bytes
        && seg.resume_after <= stats_.acked_seq)
      begin = seg.resume_pos;
    auto data = read_file(seg.path, seg.bytes - begin, begin);
    if (!data)
      return data.err();
    auto& s = *data;
    if (s.size() < seg.bytes - begin)
      return {errc::malformed, "journal: " + seg.path + " got shorter"};
    size_t pos = 0;
    while (pos + record_header_size <= s.size()) {
      auto len = get_u32(s.data() + pos);
      auto crc = get_u32(s.data() + pos + 4);
      auto seq = get_u64(s.data() + pos + 8);
      if (len > s.size() - pos - record_header_size)
        return {errc::malformed, "journal: " + seg.path + ": record "
                                   + std::to_string(seq) + " is cut"};
      std::string_view payload{s.data() + pos + record_header_size, len};
      if (record_crc(len, seq, payload) != crc)
        return {errc::malformed, "journal: " + seg.path + ": record "
                                   + std::to_string(seq) + " fails its CRC"};
      pos += record_header_size + len;
      seg.resume_pos = begin + pos;
      seg.resume_after = seq;
      if (seq <= stats_.acked_seq)
        continue;
      ++delivered;
      if (!fn(seq, payload))
        return delivered;
    }
  }
  return delivered;
}

result<void> disk_journal::ack(uint64_t up_to) {
  if (up_to >= stats_.next_seq)
    return {errc::invalid_argument,
            "journal: cannot ack " + std::to_string(up_to)
              + ", the last appended is "
              + std::to_string(stats_.next_seq - 1)};
  if (up_to <= stats_.acked_seq)
    return {};
  stats_.acked_seq = up_to;
  if (auto ok = write_state(); !ok)
    return ok;
  while (!segments_.empty() && segments_.front().records > 0
         && segments_.front().last_seq <= stats_.acked_seq) {
    auto& seg = segments_.front();
    if (segments_.size() == 1 && active_fd_ >= 0) {
      ::close(active_fd_);
      active_fd_ = -1;
      data_dirty_ = false;
    }
    if (::unlink(seg.path.c_str()) != 0 && errno != ENOENT)
      return io_error("cannot delete", seg.path);
    dir_dirty_ = true;
    segments_.erase(segments_.begin());
  }
  recount();
  if (dir_dirty_ && opts_.sync == fsync_policy::always)
    return sync_dir();
  return {};
}

} // namespace tickflow::journal
