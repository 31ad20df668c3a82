#pragma once

// A provider's descriptor: its static facts (pipeline/providers/
// provider_info.hpp: name, stable id, asset classes, data kinds, intervals,
// key, published limits, failover places, stream traits) and the factories
// of its REST and live stream dialects. Each provider defines one in its own
// folder (adapters/<name>/<name>_provider.cpp); adapters/registry.cpp lists
// them, one line each, and everything else reads the registry.

#include <memory>
#include <utility>

#include "adapters/common/rest_adapter.hpp"
#include "adapters/streams/stream_protocol.hpp"
#include "pipeline/providers/provider_info.hpp"

namespace tickflow {

/// Makes a provider's REST dialect.
using rest_factory = std::unique_ptr<rest_adapter> (*)(const adapter_options&);

/// Makes a provider's live stream dialect.
using stream_factory = std::unique_ptr<stream_protocol> (*)(const adapter_options&);

/// Everything tickflow knows about one provider.
struct provider_descriptor {
  provider_info info;                   ///< the pure facts pipeline/ reads
  rest_factory make_rest = nullptr;     ///< nullptr: no REST dialect
  stream_factory make_stream = nullptr; ///< nullptr: no live stream
};

/// The descriptor of `info` and the factories, with info.rest and
/// info.stream set from them (so the flags never disagree with the code).
inline provider_descriptor describe(provider_info info, rest_factory rest,
                                    stream_factory stream = nullptr) {
  info.rest = rest != nullptr;
  info.stream = stream != nullptr;
  return provider_descriptor{std::move(info), rest, stream};
}

} // namespace tickflow
