// GET /api/v1/data/book: the top levels of an instrument's order book, from
// the books actor. The query and body are api/routes/book.

#include "actors/books_actor.hpp"
#include "actors/gateway_state.hpp"
#include "api/routes/book.hpp"

namespace tickflow {

namespace {

void handle_book(gateway_ptr self, const http_call& call) {
  auto p = api::parse_book_query(call.request, self->state.symbols);
  auto* q = parsed(p, call);
  if (q == nullptr)
    return;
  auto reply = call.reply;
  if (!self->state.reads.books)
    return reply(api::not_found(lookup_status::unknown, q->instrument));
  self->request(self->state.reads.books, cache_timeout, get_book_atom::value,
                q->instrument, q->depth)
    .then(
      [q = *q, reply](const book_reply& r) {
        if (!r.found)
          return reply(api::not_found(lookup_status::unknown, q.instrument));
        api::provenance from{"l1", true, r.view.ts_event_ns, now_ns(), {}, q.requested};
        reply(api::json(200, api::book_body(r.view, q.depth, from)));
      },
      [reply](caf::error&) {
        reply(api::fail(503, "unavailable", "the books did not answer in time"));
      });
}

} // namespace

std::vector<route> book_routes() {
  return {
    {"GET", "/api/v1/data/book", handle_book},
  };
}

} // namespace tickflow
