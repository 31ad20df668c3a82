#pragma once

// The order book messages between actors (issue 23): book updates from
// providers to the books actor and on to the broadcaster, and the gateway's
// top-N request.

#include <cstddef>
#include <string>
#include <vector>

#include <caf/all.hpp>

#include "actors/messages.hpp"
#include "pipeline/book/book_store.hpp"
#include "pipeline/model/book_update.hpp"

namespace tickflow {

/// Book updates of one provider batch, in arrival order.
using book_batch = std::vector<book_update>;

/// (get_book_atom, instrument, depth) -> book_reply: the top levels.
using get_book_atom = caf::atom_constant<caf::atom("getbook")>;
/// (books_atom, books_actor): where the gateway asks for books.
using books_atom = caf::atom_constant<caf::atom("books")>;

/// The books actor's answer: found false when there is no book of the
/// instrument (404 unknown_symbol).
struct book_reply {
  bool found = false;
  book::book_view view;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, book_level& x) {
  return f(caf::meta::type_name("book_level"), x.price, x.size);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, book_update& x) {
  return f(caf::meta::type_name("book_update"), x.instrument, x.source, x.update_id,
           x.ts_event_ns, x.ts_recv_ns, x.bids, x.asks, x.snapshot);
}

} // namespace tickflow

namespace tickflow::book {

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, level& x) {
  return f(caf::meta::type_name("book_view_level"), x.price, x.size);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, book_view& x) {
  return f(caf::meta::type_name("book_view"), x.instrument, x.source, x.update_id,
           x.ts_event_ns, x.ts_recv_ns, x.bids, x.asks, x.crossed);
}

} // namespace tickflow::book

namespace tickflow {

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, book_reply& x) {
  return f(caf::meta::type_name("book_reply"), x.found, x.view);
}

} // namespace tickflow
