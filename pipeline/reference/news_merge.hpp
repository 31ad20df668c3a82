#pragma once

// News from several providers as one list: newest first, each story once.
// Providers syndicate the same article (one URL, or one headline under
// different URLs), so two items are the same story when their URLs or
// their titles match after normalization. Pure: no clock, no I/O.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "pipeline/model/reference.hpp"

namespace tickflow::reference {

/// The dedup key of an article URL: the scheme is dropped (http and https
/// serve the same page), the host lowercased without a leading "www.", the
/// fragment dropped, and a trailing '/' of the path dropped; the query is
/// kept (it may name the article). Surrounding blanks are ignored.
/// "HTTPS://www.CNBC.com/a/b/#top" -> "cnbc.com/a/b"; "" -> "".
std::string url_key(std::string_view url);

/// The dedup key of a title: ASCII letters lowercased, every run of other
/// ASCII characters (punctuation, blanks) folded into one space, trimmed.
/// Bytes >= 0x80 (UTF-8) are kept as they are.
/// "Apple's iPhone 15 -- Review!" -> "apple s iphone 15 review".
std::string title_key(std::string_view title);

/// The result of merge_news.
struct merged_news {
  std::vector<news_item> items; ///< newest first, at most `limit`
  size_t duplicates = 0;        ///< items dropped as a story already kept
};

/// Merges `lists` (one per provider, in preference order) into one list:
/// every item, newest first (equal publish times keep the earlier list
/// first, then the order inside the list); an item whose url_key or
/// title_key (each when not empty) equals that of an item already kept is
/// dropped as a duplicate and lends the kept item what it lacks (summary,
/// image, publisher, id) and the instruments it names. Items with neither a
/// URL nor a title are dropped as well (counted as duplicates: nothing to
/// tell them apart by). The first `limit` items are returned (0: none).
merged_news merge_news(const std::vector<std::vector<news_item>>& lists,
                       size_t limit);

/// Sorts one provider's items newest first (stable) and keeps the first
/// `limit` (0: all). Parsers use it so each provider answers alike.
void keep_newest(std::vector<news_item>& items, size_t limit);

} // namespace tickflow::reference
