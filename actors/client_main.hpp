#pragma once

#include "api/client/client_args.hpp"

namespace tickflow {

/// Runs one client command against a running tickflow and prints the result.
/// Returns the process exit code: 0 ok, 1 the server answered an error or
/// could not be reached, 2 usage.
int run_client(const client::command& cmd);

} // namespace tickflow
