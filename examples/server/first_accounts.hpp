// callwire-server — the first accounts of a server with sign-in (JWT_SECRET).
#pragma once

#include <callwire/storage.hpp>

#include <ostream>

namespace callwire::server_app {

/// With no user yet: in demo mode with seeding on, adds a demo administrator
/// and a demo agent with random passwords and prints their credentials to
/// `out`; otherwise prints how to create the first administrator. Nothing
/// when a user exists.
void first_accounts(Storage& storage, bool seed_demo_accounts, std::ostream& out);

}  // namespace callwire::server_app
