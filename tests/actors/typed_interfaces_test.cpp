// Compile-time checks of the typed actor interfaces (issue 19): each alias
// accepts what the pipeline sends it, and a stage's handle fits the small
// shared interface (flow.hpp) its neighbours hold. The checks are
// static_asserts: if one fails, actors_tests does not build.

#include <cstdint>
#include <string>
#include <vector>

#include <caf/all.hpp>
#include <gtest/gtest.h>

#include "actors/alerter_actor.hpp"
#include "actors/books_actor.hpp"
#include "actors/broadcaster_actor.hpp"
#include "actors/cache_actor.hpp"
#include "actors/cache_writer_actor.hpp"
#include "actors/capture_writer_actor.hpp"
#include "actors/flow.hpp"
#include "actors/gateway_actor.hpp"
#include "actors/jobs_actor.hpp"
#include "actors/pipeline_actors.hpp"
#include "actors/redis_reader_actor.hpp"
#include "actors/redis_subscriber_actor.hpp"
#include "actors/replay_provider_actor.hpp"
#include "actors/rest_provider_actor.hpp"
#include "actors/scheduler_actor.hpp"
#include "actors/simulator_actor.hpp"
#include "actors/storage_writer_actor.hpp"
#include "actors/stream_provider_actor.hpp"
#include "actors/supervisor.hpp"

namespace tickflow::test {
namespace {

/// True if a handle of `From` may stand for a `To`: every message of To is
/// one From handles, with the same reply. (std::is_convertible says nothing
/// here: CAF 0.17's converting constructor checks this in its body.)
template <class From, class To>
constexpr bool fits =
  caf::detail::tl_subset_of<typename To::signatures, typename From::signatures>::value;

/// True if `Handle` accepts the message (Xs...).
template <class Handle, class... Xs>
constexpr bool accepts =
  caf::response_type<typename Handle::signatures, Xs...>::valid;

/// The reply of `Handle` to (Xs...), as a caf::detail::type_list.
template <class Handle, class... Xs>
using reply_of = typename caf::response_type<typename Handle::signatures, Xs...>::type;

template <class... Ts>
using list = caf::detail::type_list<Ts...>;

// -- every stage after the providers takes event_batch and drains -----------------

static_assert(fits<sharder_actor, batch_sink_actor>, "providers feed the sharder");
static_assert(fits<validator_actor, batch_sink_actor>, "the sharder feeds validators");
static_assert(fits<router_actor, batch_sink_actor>, "validators feed the router");
static_assert(fits<cache_actor, batch_sink_actor>, "the router feeds the cache");
static_assert(fits<broadcaster_actor, batch_sink_actor>, "and the broadcaster");
static_assert(fits<cache_writer_actor, batch_sink_actor>, "and the cache writer");
static_assert(fits<storage_writer_actor, batch_sink_actor>, "and the storage writer");
static_assert(fits<broadcaster_actor, book_sink_actor>, "the books feed the broadcaster");
static_assert(fits<books_actor, stats_actor>, "the books report stats");
static_assert(std::is_same<reply_of<batch_sink_actor, drain_atom>, list<bool>>::value,
              "a drain marker is answered with bool");
static_assert(std::is_same<reply_of<batch_sink_actor, event_batch>, list<void>>::value,
              "a batch is acked, not answered");

// -- whoever sends batches takes the acks (credit) ---------------------------------

static_assert(fits<sharder_actor, upstream_actor>, "");
static_assert(fits<validator_actor, upstream_actor>, "");
static_assert(fits<router_actor, upstream_actor>, "");
static_assert(fits<simulator_actor, upstream_actor>, "");
static_assert(fits<replay_provider_actor, upstream_actor>, "");
static_assert(fits<stream_provider_actor, upstream_actor>, "");
static_assert(fits<rest_provider_actor, upstream_actor>, "its forwarded bars are acked");
static_assert(fits<redis_subscriber_actor, upstream_actor>, "");
static_assert(!fits<cache_actor, upstream_actor>, "the cache sends no batches");

// -- what the gateway and the supervisor report on --------------------------------

static_assert(fits<sharder_actor, stats_actor>, "");
static_assert(fits<validator_actor, stats_actor>, "");
static_assert(fits<router_actor, stats_actor>, "");
static_assert(fits<cache_actor, stats_actor>, "");
static_assert(fits<broadcaster_actor, stats_actor>, "");
static_assert(fits<alerter_actor, stats_actor>, "");
static_assert(fits<redis_subscriber_actor, stats_actor>, "");
static_assert(fits<redis_reader_actor, stats_actor>, "");
static_assert(fits<scheduler_actor, stats_actor>, "");
static_assert(fits<gateway_actor, stats_actor>, "");
static_assert(fits<simulator_actor, stats_actor>, "");
static_assert(fits<stream_provider_actor, stats_actor>, "");
static_assert(!fits<jobs_actor, stats_actor>, "jobs answers no stats (\"unavailable\")");
static_assert(!fits<rest_provider_actor, stats_actor>, "nor does a REST provider");

// -- the smaller interfaces one actor holds of another -----------------------------

static_assert(fits<rest_provider_actor, fetch_actor>, "sched_fetch::via, stream backfills");
static_assert(fits<scheduler_actor, sched_fetch_actor>, "streams fetch through it");
static_assert(fits<gateway_actor, internal_calls_actor>, "jobs call the gateway's routes");
static_assert(fits<storage_writer_actor, quarantine_sink_actor>, "validators persist there");
static_assert(fits<cache_writer_actor, quarantine_sink_actor>, "and streamed to other nodes");
static_assert(fits<validator_actor, quarantine_sink_actor>, "other nodes' reach validator 0");

// -- messages and replies the callers rely on --------------------------------------

static_assert(std::is_same<reply_of<cache_actor, get_price_atom, std::string>,
                           list<price_reply>>::value, "");
static_assert(std::is_same<reply_of<redis_reader_actor, get_bars_atom, bars_query>,
                           list<bars_reply>>::value, "");
static_assert(std::is_same<reply_of<storage_writer_actor, get_bars_atom, bars_query>,
                           list<bars_reply>>::value, "");
static_assert(std::is_same<reply_of<scheduler_actor, fetch_atom, sched_fetch>,
                           list<fetch_reply>>::value, "");
static_assert(std::is_same<reply_of<rest_provider_actor, fetch_atom, fetch_batch>,
                           list<fetch_reply>>::value, "");
static_assert(std::is_same<reply_of<rest_provider_actor, holidays_atom>,
                           list<std::vector<session_exception>>>::value,
              "");
static_assert(accepts<gateway_actor, holidays_atom>, "");
// A page of a provider's reference list; the gateway's own refresh ticks.
static_assert(std::is_same<reply_of<rest_provider_actor, reflist_atom, std::string>,
                           list<reference_page>>::value, "");
static_assert(accepts<gateway_actor, reflist_atom>, "");
static_assert(accepts<gateway_actor, reflist_atom, std::string>, "");
static_assert(std::is_same<reply_of<rest_provider_actor, health_atom>,
                           list<provider_health>>::value, "");
static_assert(std::is_same<reply_of<stream_provider_actor, health_atom>,
                           list<stream_health>>::value, "");
static_assert(std::is_same<reply_of<replay_provider_actor, health_atom>,
                           list<stream_health>>::value, "");
static_assert(std::is_same<reply_of<validator_actor, quality_atom, std::string>,
                           list<validator_quality>>::value, "");
static_assert(std::is_same<reply_of<sharder_actor, reload_atom,
                                    std::vector<batch_sink_actor>>,
                           list<bool>>::value, "");
static_assert(std::is_same<reply_of<supervisor_actor, start_atom>,
                           list<listen_ports>>::value, "");
static_assert(std::is_same<reply_of<supervisor_actor, stats_atom>,
                           list<std::vector<stage_stats>>>::value, "");
static_assert(std::is_same<reply_of<broadcaster_actor, start_atom>, list<uint16_t>>::value,
              "");
static_assert(std::is_same<reply_of<gateway_actor, start_atom>, list<uint16_t>>::value, "");
static_assert(std::is_same<reply_of<jobs_actor, run_atom, std::string>,
                           list<int32_t>>::value, "");
static_assert(std::is_same<reply_of<capture_writer_actor, flush_atom>, list<bool>>::value,
              "");
static_assert(accepts<gateway_actor, http_call>, "the REST server's calls");
static_assert(accepts<gateway_actor, stage_handles>, "");
static_assert(accepts<gateway_actor, provider_handles>, "");
static_assert(accepts<scheduler_actor, provider_handles>, "");
static_assert(accepts<alerter_actor, alert>, "");
static_assert(accepts<stream_provider_actor, subscribe_atom, std::string>, "");
static_assert(accepts<capture_writer_actor, capture_atom, int64_t, std::string, std::string>,
              "");
static_assert(!accepts<cache_actor, fetch_atom, fetch_request>, "");
static_assert(!accepts<sharder_actor, get_price_atom, std::string>, "");

TEST(TypedInterfaces, AreCheckedAtCompileTime) {
  SUCCEED(); // the static_asserts above are the test
}

} // namespace
} // namespace tickflow::test
