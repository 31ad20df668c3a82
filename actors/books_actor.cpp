#include "actors/books_actor.hpp"

#include "actors/logging.hpp"

namespace tickflow {

namespace {

struct books_state {
  std::optional<book::book_store> store;
  book_sink_actor out;
  stage_stats stats{"books"};
  log_throttle throttle;
  std::shared_ptr<spdlog::logger> log = logger("books");
  static inline const char* name = "books";
};

books_actor::behavior_type books(books_actor::stateful_pointer<books_state> self,
                                 book::store_settings settings, book_sink_actor out) {
  self->state.store.emplace(settings);
  self->state.out = std::move(out);
  return {
    [=](book_batch& batch) {
      auto& st = self->state;
      st.stats.batches_in += 1;
      st.stats.events_in += batch.size();
      auto crossed_before = st.store->counters().crossed;
      for (auto& u : batch) {
        if (st.store->apply(u) == book::store_outcome::applied)
          st.stats.events_out += 1;
        else
          st.stats.rejected += 1;
      }
      auto crossed = st.store->counters().crossed - crossed_before;
      uint64_t suppressed = 0;
      if (crossed > 0 && st.throttle.allow(suppressed))
        st.log->warn("{} book update(s) left a book crossed or locked (first: {}; "
                     "{} similar suppressed)",
                     crossed, batch.front().instrument, suppressed);
      if (st.out)
        self->send(st.out, std::move(batch));
    },
    [=](get_book_atom, const std::string& instrument, size_t depth) {
      book_reply r;
      if (auto v = self->state.store->top(instrument, depth)) {
        r.found = true;
        r.view = std::move(*v);
      }
      return r;
    },
    [=](stats_atom) { return self->state.stats; },
  };
}

} // namespace

books_actor spawn_books(caf::actor_system& sys, const topology& topo,
                        book_sink_actor out) {
  return sys.spawn(books, topo.books, std::move(out));
}

} // namespace tickflow
