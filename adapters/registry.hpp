#pragma once

#include <memory>
#include <string_view>
#include <vector>

#include "adapters/common/rest_adapter.hpp"

namespace tickflow {

/// The REST adapter of a provider, or nullptr for one without REST
/// (simulator, replay).
std::unique_ptr<rest_adapter> make_rest_adapter(provider p,
                                                const adapter_options& opts);

/// Every provider with a REST adapter, in a stable order.
std::vector<provider> rest_providers() noexcept;

} // namespace tickflow
