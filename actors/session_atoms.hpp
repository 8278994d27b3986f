#pragma once

// Messages of the session actor (see docs/ARCHITECTURE.md):
//   registry -> session   (attach_atom, peer, counters, generation)
//   inbox -> session      (cl_text_atom, generation, text)
//   inbox -> session      (cl_bin_atom, generation, message)
//   inbox -> session      (cl_big_atom, generation, size)
//   inbox -> session      (cl_wrote_atom, generation)
//   inbox -> session      (cl_closed_atom, generation)
//   session -> session    (frame_tmo_atom, sequence), (expire_atom),
//                         (stats_tick_atom), (cap_wait_atom): stop waiting
//                         for capture answers at shutdown
//   anyone -> session     (shutdown_atom): close 1001, finish, quit
//   registry -> session   (moved_atom): another node took the session's
//                         lease: close 4009 and quit, writing nothing (the
//                         other node's actor owns the row now)
//   session -> persister  (p_status_atom, id, status),
//                         (p_stats_atom, id, stats JSON text)
//   session -> capture    (cap_req_atom, id, user_id, optional post_id,
//                          ai_result, session)
//   capture -> session    (cap_ok_atom, try_on_id, sequence)
//                         | (cap_fail_atom, message, sequence)
//                         | (cap_limit_atom, retry_after_ms, sequence)
//   anyone -> capture     (shutdown_atom): refuse new captures, finish the
//                         queued ones, quit
//   anyone -> expiry / stats supervisors (shutdown_atom): last run, quit

#include <caf/atom.hpp>

#include "actors/atoms.hpp"

namespace tryon::actors {

using attach_atom = caf::atom_constant<caf::atom("attach")>;
using cl_text_atom = caf::atom_constant<caf::atom("cl_text")>;
using cl_bin_atom = caf::atom_constant<caf::atom("cl_bin")>;
using cl_big_atom = caf::atom_constant<caf::atom("cl_big")>;
using cl_wrote_atom = caf::atom_constant<caf::atom("cl_wrote")>;
using cl_closed_atom = caf::atom_constant<caf::atom("cl_closed")>;
using frame_tmo_atom = caf::atom_constant<caf::atom("frame_tmo")>;
using expire_atom = caf::atom_constant<caf::atom("expire")>;
using stats_tick_atom = caf::atom_constant<caf::atom("stats_tick")>;
using shutdown_atom = caf::atom_constant<caf::atom("shutdown")>;
using p_status_atom = caf::atom_constant<caf::atom("p_status")>;
using p_stats_atom = caf::atom_constant<caf::atom("p_stats")>;
using capture_req_atom = caf::atom_constant<caf::atom("cap_req")>;
using capture_ok_atom = caf::atom_constant<caf::atom("cap_ok")>;
using capture_fail_atom = caf::atom_constant<caf::atom("cap_fail")>;
using capture_limited_atom = caf::atom_constant<caf::atom("cap_limit")>;
using count_atom = caf::atom_constant<caf::atom("count")>;
using cap_wait_atom = caf::atom_constant<caf::atom("cap_wait")>;
// Session leases across nodes (lease_keeper.hpp).
using lease_hold_atom = caf::atom_constant<caf::atom("ls_hold")>;
using lease_drop_atom = caf::atom_constant<caf::atom("ls_drop")>;
using lease_tick_atom = caf::atom_constant<caf::atom("ls_tick")>;
using lease_lost_atom = caf::atom_constant<caf::atom("ls_lost")>;
using lease_check_atom = caf::atom_constant<caf::atom("ls_check")>;
/// registry -> session: the session lives on another node now (4009).
using moved_atom = caf::atom_constant<caf::atom("moved")>;

/// Shared pointers crossing into actors from the transport.
using peer_ptr = std::shared_ptr<client_peer>;
using counters_ptr = std::shared_ptr<inbound_counters>;

} // namespace tryon::actors

CAF_ALLOW_UNSAFE_MESSAGE_TYPE(tryon::actors::peer_ptr)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(tryon::actors::counters_ptr)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(tryon::actors::session_info)
