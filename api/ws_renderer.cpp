#include "api/ws_renderer.hpp"

#include "api/book_json.hpp"

namespace tickflow::api {

std::string ws_renderer::event(const trade& x) const {
  return event_message(x);
}

std::string ws_renderer::event(const quote& x) const {
  return event_message(x);
}

std::string ws_renderer::event(const bar& x) const {
  return event_message(x);
}

std::string ws_renderer::event(const feed_status& x) const {
  return event_message(x);
}

std::string ws_renderer::indicator(std::string_view channel,
                                   indicators::indicator_kind kind,
                                   const indicators::point& p) const {
  return indicator_message(channel, kind, p);
}

std::string ws_renderer::price_snapshot(std::string_view channel,
                                        const price* last) const {
  return price_snapshot_message(channel, last);
}

std::string ws_renderer::bars_snapshot(std::string_view channel,
                                       const std::vector<bar>& bars) const {
  return bars_snapshot_message(channel, bars);
}

std::string ws_renderer::status_snapshot(std::string_view channel,
                                         const std::vector<feed_status>& last) const {
  return status_snapshot_message(channel, last);
}

std::string ws_renderer::indicator_snapshot(std::string_view channel,
                                            indicators::indicator_kind kind,
                                            const std::optional<indicators::point>& last,
                                            size_t warmup, size_t bars) const {
  return indicator_snapshot_message(channel, kind, last, warmup, bars);
}

std::string ws_renderer::book_snapshot(std::string_view channel,
                                       const book::book_view& v, size_t depth) const {
  return book_snapshot_message(channel, v, depth);
}

std::string ws_renderer::book_delta(std::string_view channel, const book::book_view& v,
                                    const std::vector<book_level>& bids,
                                    const std::vector<book_level>& asks) const {
  return book_delta_message(channel, v, bids, asks);
}

std::string ws_renderer::book_top(std::string_view channel, const book::book_view& v,
                                  bool snapshot) const {
  return book_top_message(channel, v, snapshot);
}

std::string ws_renderer::heartbeat(int64_t now_ns) const {
  return heartbeat_message(now_ns);
}

std::string ws_renderer::conflation(bool active, uint64_t dropped) const {
  return conflation_message(active, dropped);
}

std::string ws_renderer::subscribed(const std::vector<std::string>& channels) const {
  return subscribed_message(channels);
}

std::string ws_renderer::unsubscribed(const std::vector<std::string>& channels) const {
  return unsubscribed_message(channels);
}

std::string ws_renderer::pong() const {
  return pong_message();
}

std::string ws_renderer::gap(std::string_view channel, std::string_view reason) const {
  return gap_message(channel, reason);
}

std::string ws_renderer::error(std::string_view code, std::string_view message,
                               std::string_view channel) const {
  return error_message(code, message, channel);
}

} // namespace tickflow::api
