#pragma once

// Cross-node events on Redis Streams (docs/SCALING.md): the pure parts.
// The cache writer XADDs each batch, split by shard, to
//
//   <prefix>:stream:<shard>   shard = fnv1a32(instrument) % shards
//   XADD key MAXLEN ~ <retention> * [o <origin>] [r 1] n <count> e <events>
//
// where <events> is a JSON array of publish_payload()s without origin
// ([{"type":"trade","data":{...}}, ...], in batch order; prices are left
// out: the trade that set a price carries it), "o" the writer's node id and
// "r" marks a journal replay, "n" counts the events (a reader skipping its
// own entries counts them without parsing). A gateway XREADs every shard from the last id
// it delivered; these helpers build the commands, decode the replies and
// tell a gap (entries trimmed before it read them) from a resume.
// Nothing here talks to a server; never throws; bad input is a typed error.

#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "adapters/redis/redis_client.hpp"
#include "adapters/redis/redis_schema.hpp"
#include "pipeline/model/error.hpp"

namespace tickflow::redis {

// -- ids and keys --------------------------------------------------------------

/// A stream entry id "<ms>-<seq>", ordered as Redis orders them.
struct stream_id {
  uint64_t ms = 0;
  uint64_t seq = 0;

  friend bool operator==(stream_id a, stream_id b) noexcept {
    return a.ms == b.ms && a.seq == b.seq;
  }
  friend bool operator!=(stream_id a, stream_id b) noexcept { return !(a == b); }
  friend bool operator<(stream_id a, stream_id b) noexcept {
    return a.ms < b.ms || (a.ms == b.ms && a.seq < b.seq);
  }
  friend bool operator>(stream_id a, stream_id b) noexcept { return b < a; }
};

/// "<ms>-<seq>"; "0-0" for the empty id.
std::string to_string(stream_id id);

/// Parses "<ms>-<seq>" (or "<ms>", seq 0); nullopt for anything else.
std::optional<stream_id> parse_stream_id(std::string_view text) noexcept;

/// The shard of an instrument: FNV-1a (32 bit) of its id modulo `shards`
/// (0 when shards is 0). Stable across nodes, builds and restarts.
uint32_t shard_of(std::string_view instrument, uint32_t shards) noexcept;

/// "<prefix>:stream:<shard>".
std::string stream_key(std::string_view prefix, uint32_t shard);

// -- write side ----------------------------------------------------------------

/// How the cache writer writes its streams.
struct stream_settings {
  uint32_t shards = 4;         ///< streams per prefix; 0 = no streams
  uint64_t retention = 100'000; ///< MAXLEN ~ per stream (entries, i.e. batches)
};

/// One XADD per shard the entries touch, shards in ascending order, events
/// in input order within each (prices and invalid entries left out, as
/// build_commands counts them; a status goes to the shard of its provider's
/// name). `replay` marks a journal replay; `origin`
/// is the node id ("" = none).
std::vector<command> xadd_commands(const std::vector<cache_entry>& entries,
                                   std::string_view prefix,
                                   const stream_settings& s,
                                   std::string_view origin, bool replay);

/// Adds xadd_commands() to a batch build_commands() made from the same
/// entries: before its EXEC when it is a transaction (so the keys and the
/// stream change together), else at the end. Nothing when it has no commands
/// (statuses alone have no key: the caller sends their xadd_commands()).
void add_stream_commands(command_batch& batch,
                         const std::vector<cache_entry>& entries,
                         std::string_view prefix, const stream_settings& s,
                         std::string_view origin, bool replay);

// -- read side -----------------------------------------------------------------

/// Where a reader is in each shard's stream: the last id it delivered.
class stream_cursor {
 public:
  /// A cursor over `shards` streams of `prefix`, not positioned yet.
  stream_cursor(std::string_view prefix, uint32_t shards);

  /// The stream keys, by shard.
  const std::vector<std::string>& keys() const noexcept { return keys_; }
  /// The last delivered id of a shard.
  stream_id last(uint32_t shard) const noexcept { return last_[shard]; }
  /// True once position() or advance() was called for every shard.
  bool positioned() const noexcept { return positioned_; }

  /// Starts at `ids` (one per shard: the streams' last-generated ids, so a
  /// new reader starts with what comes next).
  void position(const std::vector<stream_id>& ids);
  /// Moves a shard's cursor to `id` (only ever forward).
  void advance(uint32_t shard, stream_id id) noexcept;
  /// Starts a shard over at 0-0 (its stream was recreated).
  void restart(uint32_t shard) noexcept { last_[shard] = stream_id{}; }
  /// Moves a shard's cursor back to `id` (its stream lost entries after it).
  void rewind(uint32_t shard, stream_id id) noexcept { last_[shard] = id; }

  /// XREAD COUNT <count> BLOCK <block_ms> STREAMS <keys...> <last ids...>.
  command xread(uint32_t count, int block_ms) const;

 private:
  std::vector<std::string> keys_;
  std::vector<stream_id> last_;
  bool positioned_ = false;
};

/// One entry an XREAD returned.
struct stream_entry {
  uint32_t shard = 0;
  stream_id id;
  std::string origin; ///< "o"; "" when absent
  bool replay = false; ///< "r" = "1"
  uint64_t count = 0;  ///< "n": events in "e" (0 when absent or bad)
  std::string events; ///< "e": the JSON array of payloads
};

/// Decodes an XREAD reply ([[key, [[id, [field, value, ...]], ...]], ...];
/// nil = nothing new) against the cursor's keys. Entries of unknown keys
/// are skipped; an entry without "e" keeps events "" (the decoder counts it
/// as malformed). errc::malformed when the reply has another shape.
result<std::vector<stream_entry>> decode_xread(const reply& r,
                                              const stream_cursor& cursor);

/// What XINFO STREAM says about a stream, as far as a reader needs it.
struct stream_info {
  bool exists = false;       ///< false: "no such key"
  uint64_t length = 0;
  stream_id last_generated;  ///< the newest id ever added
  std::optional<stream_id> first_entry; ///< the oldest id still held
};

/// Decodes an XINFO STREAM reply (a flat key/value array); an error reply
/// "ERR no such key" is a stream that does not exist. errc::malformed for
/// other shapes or error replies.
result<stream_info> decode_xinfo(const reply& r);

/// What a reader that delivered up to `last` finds in a stream.
enum class resume_kind : uint8_t {
  resume,    ///< every entry after `last` is still there
  gap,       ///< entries after `last` were trimmed (retention exceeded)
  restarted, ///< the stream is gone: start at 0-0
  behind     ///< the stream ends before `last`: a failover lost entries this
             ///< reader had delivered (the replica lagged); read on after its end
};

/// Compares a reader's position with the stream: a gap when the stream's
/// oldest entry is newer than `last` (trimming removes the oldest entries
/// first, so `last` itself went, and maybe more; exact unless the trim
/// ended exactly at `last`); restarted when the stream is missing (Redis
/// lost it); behind when its newest id is before `last` (the promoted
/// replica had not received the newest entries: their writers replay them,
/// see replay_filter). A reader at 0-0 never has a gap: it has not read
/// anything yet.
resume_kind classify_resume(const stream_info& info, stream_id last) noexcept;

/// Recognizes the journal replay of an entry a reader already delivered.
/// When a primary dies after applying (and replicating) a writer's XADD but
/// before its answer, the writer journals that batch and replays it (marked
/// "r") after the failover: the same events again, under a new id. The
/// replay of a batch renders the same bytes, so a replayed entry whose "e"
/// equals one of the last `depth` entries of its origin and shard is a
/// repeat. Live entries are never skipped. Bounded: `depth` hashes per
/// (origin, shard), at most max_keys of those (then it starts over).
class replay_filter {
 public:
  static constexpr size_t max_keys = 4096;

  explicit replay_filter(size_t depth = 64) : depth_(depth) {}

  /// True when `x` repeats an entry seen before (skip it); remembers `x`.
  bool repeat(const stream_entry& x);

 private:
  size_t depth_;
  std::unordered_map<std::string, std::deque<uint64_t>> seen_; // "<shard>/<origin>"
};

} // namespace tickflow::redis
