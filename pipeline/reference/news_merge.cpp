#include "pipeline/reference/news_merge.hpp"

#include <algorithm>
#include <unordered_map>
#include <utility>

#include "pipeline/model/text.hpp"

namespace tickflow::reference {

namespace {

constexpr bool is_ascii_alnum(char c) noexcept {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

constexpr char lower(char c) noexcept {
  return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

// Fills the empty fields of `kept` from `dup`, and adds its instruments.
void lend(news_item& kept, const news_item& dup) {
  auto fill = [](std::string& to, const std::string& from) {
    if (to.empty())
      to = from;
  };
  fill(kept.summary, dup.summary);
  fill(kept.image, dup.image);
  fill(kept.publisher, dup.publisher);
  fill(kept.id, dup.id);
  for (auto& x : dup.instruments)
    if (std::find(kept.instruments.begin(), kept.instruments.end(), x)
        == kept.instruments.end())
      kept.instruments.push_back(x);
}

} // namespace

std::string url_key(std::string_view url) {
  url = trim_space(url);
  if (auto hash = url.find('#'); hash != std::string_view::npos)
    url = url.substr(0, hash);
  if (auto scheme = url.find("://"); scheme != std::string_view::npos)
    url.remove_prefix(scheme + 3);
  auto host_end = url.find_first_of("/?");
  auto host = url.substr(0, host_end);
  auto rest = host_end == std::string_view::npos ? std::string_view{}
                                                  : url.substr(host_end);
  std::string out;
  out.reserve(url.size());
  for (char c : host)
    out.push_back(lower(c));
  if (out.rfind("www.", 0) == 0)
    out.erase(0, 4);
  // A trailing '/' of the path (before any query) says nothing.
  auto query = rest.find('?');
  auto path = rest.substr(0, query);
  while (!path.empty() && path.back() == '/')
    path.remove_suffix(1);
  out.append(path);
  if (query != std::string_view::npos)
    out.append(rest.substr(query));
  return out;
}

std::string title_key(std::string_view title) {
  std::string out;
  out.reserve(title.size());
  bool gap = false;
  for (char c : title) {
    auto u = static_cast<unsigned char>(c);
    if (u >= 0x80 || is_ascii_alnum(c)) {
      if (gap && !out.empty())
        out.push_back(' ');
      gap = false;
      out.push_back(lower(c));
    } else {
      gap = true;
    }
  }
  return out;
}

merged_news merge_news(const std::vector<std::vector<news_item>>& lists,
                       size_t limit) {
  // Every item with its place: list first, then position (the tie-breaks).
  struct entry {
    const news_item* item;
    size_t list;
    size_t pos;
  };
  std::vector<entry> all;
  for (size_t l = 0; l < lists.size(); ++l)
    for (size_t i = 0; i < lists[l].size(); ++i)
      all.push_back(entry{&lists[l][i], l, i});
  std::stable_sort(all.begin(), all.end(), [](const entry& a, const entry& b) {
    return a.item->published_ns > b.item->published_ns;
  });
  merged_news out;
  std::unordered_map<std::string, size_t> by_url;   // key -> index in out.items
  std::unordered_map<std::string, size_t> by_title;
  for (auto& e : all) {
    auto u = url_key(e.item->url);
    auto t = title_key(e.item->title);
    if (u.empty() && t.empty()) {
      ++out.duplicates;
      continue;
    }
    size_t kept = out.items.size();
    if (!u.empty())
      if (auto i = by_url.find(u); i != by_url.end())
        kept = i->second;
    if (kept == out.items.size() && !t.empty())
      if (auto i = by_title.find(t); i != by_title.end())
        kept = i->second;
    if (kept < out.items.size()) {
      ++out.duplicates;
      lend(out.items[kept], *e.item);
      // The story is now known by this item's keys too.
      if (!u.empty())
        by_url.emplace(u, kept);
      if (!t.empty())
        by_title.emplace(t, kept);
      continue;
    }
    if (!u.empty())
      by_url.emplace(u, kept);
    if (!t.empty())
      by_title.emplace(t, kept);
    out.items.push_back(*e.item);
  }
  if (out.items.size() > limit)
    out.items.resize(limit);
  return out;
}

void keep_newest(std::vector<news_item>& items, size_t limit) {
  std::stable_sort(items.begin(), items.end(), [](const news_item& a, const news_item& b) {
    return a.published_ns > b.published_ns;
  });
  if (limit > 0 && items.size() > limit)
    items.resize(limit);
}

} // namespace tickflow::reference
