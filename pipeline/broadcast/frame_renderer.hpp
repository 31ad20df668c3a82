#pragma once

// The text of the server messages the subscription book sends. The book
// decides who gets what; the renderer (api/ws_renderer: the JSON of
// docs/WEBSOCKET.md) writes it, so pipeline/ stays free of api/.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "pipeline/book/book_store.hpp"
#include "pipeline/indicators/indicator_spec.hpp"
#include "pipeline/model/events.hpp"

namespace tickflow::broadcast {

/// Renders every message the book sends. Called once per event (not per
/// client): the book turns the text into one shared frame.
class frame_renderer {
 public:
  virtual ~frame_renderer() = default;

  // -- live events ----------------------------------------------------------------

  virtual std::string event(const trade& x) const = 0;
  virtual std::string event(const quote& x) const = 0;
  virtual std::string event(const bar& x) const = 0;
  virtual std::string event(const feed_status& x) const = 0;
  /// A value of an indicator channel for a closed bar.
  virtual std::string indicator(std::string_view channel,
                                indicators::indicator_kind kind,
                                const indicators::point& p) const = 0;

  // -- snapshots ------------------------------------------------------------------

  /// The last price of a trades or quotes channel (null: none yet).
  virtual std::string price_snapshot(std::string_view channel,
                                     const price* last) const = 0;
  /// The newest bars of a bars channel, oldest first.
  virtual std::string bars_snapshot(std::string_view channel,
                                    const std::vector<bar>& bars) const = 0;
  /// The last status of each connection a status channel covers.
  virtual std::string status_snapshot(std::string_view channel,
                                      const std::vector<feed_status>& last) const = 0;
  /// An indicator channel's newest value (null while warming up).
  virtual std::string indicator_snapshot(std::string_view channel,
                                         indicators::indicator_kind kind,
                                         const std::optional<indicators::point>& last,
                                         size_t warmup, size_t bars) const = 0;

  // -- order books ----------------------------------------------------------------

  /// The top `depth` levels of a book channel (a subscribe, a resync, or a
  /// slow client's conflated updates).
  virtual std::string book_snapshot(std::string_view channel,
                                    const book::book_view& v, size_t depth) const = 0;
  /// The level changes of a book channel's top levels that made `v`.
  virtual std::string book_delta(std::string_view channel, const book::book_view& v,
                                 const std::vector<book_level>& bids,
                                 const std::vector<book_level>& asks) const = 0;
  /// A book_top channel's best bid/ask (`snapshot`: on subscribe).
  virtual std::string book_top(std::string_view channel, const book::book_view& v,
                               bool snapshot) const = 0;

  // -- replies and notices --------------------------------------------------------

  /// The greeting a client gets first.
  virtual std::string hello() const = 0;
  virtual std::string heartbeat(int64_t now_ns) const = 0;
  /// The client fell behind (active) or caught up, `dropped` updates later.
  virtual std::string conflation(bool active, uint64_t dropped) const = 0;
  virtual std::string subscribed(const std::vector<std::string>& channels) const = 0;
  virtual std::string unsubscribed(const std::vector<std::string>& channels) const = 0;
  virtual std::string pong() const = 0;
  /// Events of `channel` were lost upstream; a fresh snapshot follows.
  virtual std::string gap(std::string_view channel, std::string_view reason) const = 0;
  /// An error reply; `channel` empty when it concerns no one channel.
  virtual std::string error(std::string_view code, std::string_view message,
                            std::string_view channel) const = 0;
};

} // namespace tickflow::broadcast
