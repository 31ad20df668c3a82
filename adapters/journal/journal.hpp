#pragma once

// A bounded, append-only on-disk journal of opaque records (serialized
// batches, see batch_codec.hpp), so a storage writer can accept a batch,
// persist it locally, write it to Redis/Postgres when they are up, and ack
// it afterwards. Synchronous and non-throwing; one owner (not thread-safe;
// a second process opening the same directory gets errc::unavailable).
//
// On disk (docs/STORAGE.md): a directory with
//   <first seq, 20 digits>.seg  segments: 16-byte header ("TFJSEG01" +
//                               u64 first seq) then records
//   journal.state               u64 acked seq + CRC (written via rename)
//   lock                        flock()ed while open
// A record is [u32 length][u32 crc32][u64 seq][payload], little endian; the
// CRC (IEEE 802.3) covers length, seq and payload. At open, a torn or
// corrupt tail (crash during a write) is cut off and counted.

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "pipeline/model/error.hpp"

namespace tickflow::journal {

/// CRC-32 (IEEE 802.3, reflected, as zlib's crc32) of `data`, continuing
/// from `crc` (0 to start).
uint32_t crc32(std::string_view data, uint32_t crc = 0) noexcept;

/// When appended records reach the disk.
enum class fsync_policy : uint8_t {
  always,   ///< fdatasync after every append (and directory changes)
  interval, ///< only when the caller calls sync() (e.g. on a timer)
  never,    ///< leave it to the OS (tests, tmpfs)
};

/// What append() does when the journal is full.
enum class full_policy : uint8_t {
  reject_new,  ///< refuse the new record (errc::out_of_range), count it
  drop_oldest, ///< delete the oldest segments, count their pending records
};

/// Settings of a journal.
struct journal_options {
  /// Directory of the journal (created if missing, one level).
  std::string dir;
  /// Bound of all segment files together, headers included.
  uint64_t max_bytes = 64ull << 20;
  /// A segment is closed and a new one started beyond this size (a bigger
  /// record gets a segment of its own). drop_oldest drops whole segments, so
  /// this is also the granularity of what is dropped.
  uint64_t segment_bytes = 4ull << 20;
  fsync_policy sync = fsync_policy::interval;
  full_policy when_full = full_policy::reject_new;
};

/// Counters and state; counters count since open().
struct journal_stats {
  uint64_t next_seq = 1;        ///< the sequence the next append gets
  uint64_t acked_seq = 0;       ///< every seq <= this is acked or dropped
  uint64_t pending_records = 0; ///< present and not acked
  uint64_t bytes = 0;           ///< segment files on disk, headers included
  uint64_t segments = 0;        ///< segment files on disk
  uint64_t appended = 0;        ///< records appended
  uint64_t rejected_records = 0; ///< appends refused (reject_new, full)
  uint64_t rejected_bytes = 0;   ///< their payload bytes
  uint64_t dropped_records = 0;  ///< pending records deleted (drop_oldest)
  uint64_t dropped_bytes = 0;    ///< their payload bytes
  uint64_t torn_records = 0; ///< torn/corrupt records cut off at open
  uint64_t torn_bytes = 0;   ///< bytes cut off at open
};

/// A replay callback: the record's sequence and payload (valid during the
/// call only). Return false to stop the replay.
using replay_fn = std::function<bool(uint64_t seq, std::string_view payload)>;

/// An open journal directory.
class disk_journal {
 public:
  /// Opens (or creates) the journal in opts.dir, cuts off a torn tail,
  /// deletes fully acked segments, and continues the sequence numbers.
  /// errc::invalid_argument for bad options (empty dir, segment_bytes or
  /// max_bytes too small, segment_bytes > max_bytes); errc::unavailable for
  /// I/O errors or when another process has it open.
  static result<disk_journal> open(journal_options opts);

  /// Closes the files (sync()s first unless the policy is never).
  ~disk_journal();

  /// Takes over `other`'s files.
  disk_journal(disk_journal&& other) noexcept;
  /// Closes this journal and takes over `other`'s files.
  disk_journal& operator=(disk_journal&& other) noexcept;
  disk_journal(const disk_journal&) = delete;
  disk_journal& operator=(const disk_journal&) = delete;

  /// Appends one record and returns its sequence number (1, 2, ...). When
  /// the journal is full: reject_new fails with errc::out_of_range ("journal
  /// full") and counts the record; drop_oldest deletes the oldest segments
  /// until the record fits and counts their pending records. A record that
  /// cannot fit even in an empty journal fails with errc::invalid_argument.
  /// errc::unavailable on I/O errors (the segment is cut back, so no torn
  /// record is left behind).
  result<uint64_t> append(std::string_view payload);

  /// Flushes appended records and directory changes to disk (fdatasync).
  result<void> sync();

  /// Calls fn for every pending record (seq > acked) in order; returns how
  /// many were delivered. errc::malformed if a record fails its CRC now
  /// (changed on disk after open); errc::unavailable on I/O errors.
  result<size_t> replay(const replay_fn& fn);

  /// Marks every record with seq <= up_to as done: persists the ack and
  /// deletes the segments that hold only acked records. Acking an older
  /// sequence than before is a no-op; acking one not appended yet is
  /// errc::invalid_argument.
  result<void> ack(uint64_t up_to);

  /// Counters and state.
  const journal_stats& stats() const noexcept { return stats_; }

  /// The options it was opened with.
  const journal_options& options() const noexcept { return opts_; }

 private:
  struct segment {
    std::string path;
    uint64_t first_seq = 0; ///< from the name; first record's seq if any
    uint64_t last_seq = 0;  ///< 0 while empty
    uint64_t records = 0;
    uint64_t bytes = 0;     ///< file size
    // Where the last replay left off: every record before resume_pos has
    // a seq <= resume_after, so once those are acked a replay starts there
    // instead of reading and checking the acked records again.
    uint64_t resume_pos = 0;
    uint64_t resume_after = 0;
  };

  disk_journal() = default;

  result<void> load();
  result<void> scan(segment& seg);
  result<void> write_state();
  result<void> open_active();
  result<void> create_segment();
  result<void> drop_oldest_segment();
  result<void> sync_dir();
  void close_files() noexcept;
  void recount() noexcept;
  uint64_t pending_in(const segment& seg) const noexcept;

  journal_options opts_;
  std::vector<segment> segments_; ///< oldest first; the last is appended to
  int active_fd_ = -1;            ///< open on segments_.back(), or -1
  int lock_fd_ = -1;
  int dir_fd_ = -1;
  bool dir_dirty_ = false;
  bool data_dirty_ = false;
  journal_stats stats_;
};

} // namespace tickflow::journal
