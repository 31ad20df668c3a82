#pragma once

#include <caf/all.hpp>

#include "actors/book_messages.hpp"
#include "actors/flow.hpp"
#include "pipeline/topology/topology.hpp"

namespace tickflow {

/// The books actor's messages: book batches from providers, the gateway's
/// top-N request.
using books_actor = stats_actor::extend<
  caf::reacts_to<book_batch>,
  caf::replies_to<get_book_atom, std::string, size_t>::with<book_reply>>;

/// A sink of book batches (the broadcaster).
using book_sink_actor = caf::typed_actor<caf::reacts_to<book_batch>>;

/// Spawns the books actor: it owns a book::book_store ([books] max-instruments,
/// max-depth), applies every book_update (a delta without a snapshot, a
/// stale one or one past the bound is refused and counted as rejected; a
/// crossed book is counted and logged, and every answer about it says
/// crossed), forwards the batches to `out` (the broadcaster's book
/// channels) and answers (get_book_atom, instrument, depth) -> book_reply.
/// stats_atom -> stage_stats "books" (events_out: updates applied).
books_actor spawn_books(caf::actor_system& sys, const topology& topo,
                        book_sink_actor out);

} // namespace tickflow
