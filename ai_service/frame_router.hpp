#pragma once

#include "ai_service/nail_design.hpp"
#include "ai_service/pipeline_error.hpp"
#include "ai_service/service_context.hpp"

#include "ai_service/ai_metrics.hpp"

#include <cstddef>
#include <cstdint>
#include <deque>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>

namespace tryon::ai {

/// The protocol logic of one connection (PROTOCOL.md section 4), apart
/// from the transport. Lives on the connection's strand; rendering and
/// reference loading run on the worker pool and come back via the port.
///
/// Per session it keeps a lane: one frame renders at a time, later ones
/// wait in arrival order, so replies leave in the order frames came.
/// Sessions (and lanes of different sessions) render in parallel.
class frame_router {
public:
  /// A router working for connections of `ctx`.
  explicit frame_router(service_context& ctx);
  ~frame_router();
  frame_router(const frame_router&) = delete;
  frame_router& operator=(const frame_router&) = delete;

  /// The port replies go to; running jobs keep it alive.
  void attach(std::weak_ptr<connection_port> port);

  /// Handles init_session / close_session (or answers an error).
  void on_text(std::string_view text);

  /// Handles a frame: header + image.
  void on_binary(std::string message);

  /// Work this connection has taken on and not answered yet: frames
  /// waiting or rendering, references loading.
  std::size_t load() const { return frames_ + inits_; }

private:
  struct frame_job {
    std::string session_id;
    std::int64_t sequence = 0;
    std::string format;
    std::string message; // header block + image
    std::shared_ptr<const nail_design> design;
  };

  struct lane {
    bool busy = false;
    std::deque<frame_job> waiting;
  };

  using design_result = pipeline_result<std::shared_ptr<const nail_design>>;

  void init_session(std::string session_id, const std::string& url);
  void close_session(const std::string& session_id);
  void derive_on_pool(std::string session_id, std::uint64_t token,
                      pipeline_result<std::string> bytes);
  void finish_init(const std::string& session_id, std::uint64_t token,
                   design_result result);
  void start(frame_job job);
  void finish_frame(const std::string& session_id, std::string reply,
                    bool binary);
  void reject_frame(std::string_view message, std::string_view reason);
  std::shared_ptr<connection_port> port() const { return port_.lock(); }
  /// Frames taken on (+) or answered / dropped (-), for the metrics.
  void count_held(std::ptrdiff_t delta);

  service_context& ctx_;
  // Held, not borrowed from ctx_: the router may outlive the context.
  std::shared_ptr<ai_metrics> metrics_;
  std::weak_ptr<connection_port> port_;
  std::unordered_map<std::string, lane> lanes_;
  // The latest init per session; a close (or a newer init) voids it.
  std::unordered_map<std::string, std::uint64_t> init_tokens_;
  std::uint64_t next_token_ = 0;
  std::size_t frames_ = 0;
  std::size_t inits_ = 0;
};

} // namespace tryon::ai
