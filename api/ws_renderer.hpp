#pragma once

#include "api/ws_protocol.hpp"
#include "pipeline/broadcast/frame_renderer.hpp"

namespace tickflow::api {

/// The subscription book's messages as the JSON of docs/WEBSOCKET.md
/// (api/ws_protocol): what the broadcaster plugs into the book.
class ws_renderer final : public broadcast::frame_renderer {
 public:
  /// `hi`: the fields of every client's hello.
  explicit ws_renderer(hello_info hi) : hello_(hello_message(hi)) {}

  std::string event(const trade& x) const override;
  std::string event(const quote& x) const override;
  std::string event(const bar& x) const override;
  std::string event(const feed_status& x) const override;
  std::string indicator(std::string_view channel, indicators::indicator_kind kind,
                        const indicators::point& p) const override;
  std::string price_snapshot(std::string_view channel,
                             const price* last) const override;
  std::string bars_snapshot(std::string_view channel,
                            const std::vector<bar>& bars) const override;
  std::string status_snapshot(std::string_view channel,
                              const std::vector<feed_status>& last) const override;
  std::string indicator_snapshot(std::string_view channel,
                                 indicators::indicator_kind kind,
                                 const std::optional<indicators::point>& last,
                                 size_t warmup, size_t bars) const override;
  std::string book_snapshot(std::string_view channel, const book::book_view& v,
                            size_t depth) const override;
  std::string book_delta(std::string_view channel, const book::book_view& v,
                         const std::vector<book_level>& bids,
                         const std::vector<book_level>& asks) const override;
  std::string book_top(std::string_view channel, const book::book_view& v,
                       bool snapshot) const override;
  std::string hello() const override { return hello_; }
  std::string heartbeat(int64_t now_ns) const override;
  std::string conflation(bool active, uint64_t dropped) const override;
  std::string subscribed(const std::vector<std::string>& channels) const override;
  std::string unsubscribed(const std::vector<std::string>& channels) const override;
  std::string pong() const override;
  std::string gap(std::string_view channel, std::string_view reason) const override;
  std::string error(std::string_view code, std::string_view message,
                    std::string_view channel) const override;

 private:
  std::string hello_;
};

} // namespace tickflow::api
