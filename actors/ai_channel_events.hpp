#pragma once

// What runs on the network threads on the AI side, and nothing else: the
// events of an AI channel (ai_client calls them on its strand) turned into
// messages to the link actor, and processed frames sent straight to the
// session actor that ai_routes names (docs/ARCHITECTURE.md, "Frame walk").

#include <cstddef>
#include <memory>

#include <caf/actor_addr.hpp>

#include "actors/ai_routes.hpp"
#include "actors/atoms.hpp"
#include "actors/ports.hpp"

namespace tryon::actors {

/// The events of channel `i`: open, text and down become chan_open_atom,
/// chan_text_atom and chan_down_atom to `link` (dropped once the link is
/// gone); binary messages go to route_ai_reply.
ai_events make_events(const caf::actor_addr& link, std::size_t i,
                      std::shared_ptr<ai_routes> routes);

} // namespace tryon::actors
