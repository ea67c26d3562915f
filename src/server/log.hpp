// The logger moved to src/support/log.hpp (shared by every layer); this
// forwarding header keeps "server/log.hpp" includes working.
#pragma once
#include "support/log.hpp"
