#include "ai_service/frame_router.hpp"

#include "ai_service/ai_metrics.hpp"
#include "ai_service/pipeline.hpp"
#include "ai_service/reference_url.hpp"
#include "ai_service/session_registry.hpp"
#include "ai_service/worker_pool.hpp"
#include "protocol/ai_message.hpp"
#include "protocol/error_code.hpp"

#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include <chrono>
#include <thread>
#include <utility>

namespace tryon::ai {

namespace proto = tryon::protocol;

namespace {

std::string_view code_name(proto::error_code code) {
  return proto::to_string(code);
}

// decode -> render -> encode (or passthrough); the reply and whether it is
// a binary message. Runs on a worker thread.
std::pair<std::string, bool>
render_reply(const service_options& opts, const std::string& session_id,
             std::int64_t sequence, const std::string& format,
             std::string_view message, const nail_design& design) {
  const auto t0 = std::chrono::steady_clock::now();
  if (opts.delay_ms > 0)
    std::this_thread::sleep_for(std::chrono::milliseconds(opts.delay_ms));
  const std::string_view image = proto::frame_image(message);
  proto::ai_processed_header header;
  header.session_id = session_id;
  header.sequence = sequence;
  std::string rendered;
  std::string_view out = image;
  if (opts.passthrough) {
    header.confidence = 1.0;
    header.format = format;
  } else {
    pipeline_options po;
    po.jpeg_quality = opts.jpeg_quality;
    auto result = process_frame(image, design, po);
    if (auto* err = std::get_if<pipeline_error>(&result))
      return {proto::ai_frame_error_msg(
                  session_id, sequence,
                  code_name(proto::error_code::frame_processing_failed),
                  err->message),
              false};
    auto& frame = std::get<frame_result>(result);
    rendered = std::move(frame.jpeg);
    out = rendered;
    header.confidence = frame.confidence;
    header.format = "jpeg";
  }
  header.processing_time_ms = std::chrono::duration<double, std::milli>(
                                  std::chrono::steady_clock::now() - t0)
                                  .count();
  std::string reply = proto::encode_ai_processed_frame(header, out);
  if (reply.empty()) // only if the session id alone overflows 1024 bytes
    return {proto::ai_frame_error_msg(
                session_id, sequence,
                code_name(proto::error_code::frame_processing_failed),
                "reply header does not fit in 1024 bytes"),
            false};
  return {std::move(reply), true};
}

// Reads and decodes a reference; runs on a worker thread.
pipeline_result<std::shared_ptr<const nail_design>>
design_from_bytes(const std::string& session_id,
                  pipeline_result<std::string> bytes) {
  if (auto* err = std::get_if<pipeline_error>(&bytes))
    return std::move(*err);
  auto derived = derive_design(std::get<std::string>(bytes));
  if (auto* err = std::get_if<pipeline_error>(&derived))
    return std::move(*err);
  auto& d = std::get<derived_design>(derived);
  if (!d.fallback_reason.empty())
    spdlog::warn("session {}: {}", session_id, d.fallback_reason);
  return std::make_shared<const nail_design>(std::move(d.design));
}

// The "session_id" of a JSON text, if it has one (for error replies).
std::string session_id_of(std::string_view text) {
  auto json = nlohmann::json::parse(text, nullptr, false);
  if (json.is_object()) {
    auto it = json.find("session_id");
    if (it != json.end() && it->is_string())
      return it->get<std::string>();
  }
  return {};
}

} // namespace

frame_router::frame_router(service_context& ctx)
  : ctx_(ctx), metrics_(ctx.metrics) {}

frame_router::~frame_router() {
  count_held(-static_cast<std::ptrdiff_t>(frames_)); // the connection went
}

void frame_router::count_held(std::ptrdiff_t delta) {
  if (metrics_ && delta != 0)
    metrics_->frames_held(delta);
}

void frame_router::attach(std::weak_ptr<connection_port> port) {
  port_ = std::move(port);
}

void frame_router::on_text(std::string_view text) {
  auto parsed = proto::parse_ai_request(text);
  if (auto* err = std::get_if<proto::parse_error>(&parsed)) {
    spdlog::warn("rejected request: {}", err->message);
    if (ctx_.metrics)
      ctx_.metrics->error(code_name(err->code));
    if (auto p = port())
      p->send(proto::ai_session_error_msg(session_id_of(text),
                                          code_name(err->code), err->message),
              false);
    return;
  }
  auto& request = std::get<proto::ai_request>(parsed);
  if (auto* init = std::get_if<proto::ai_init_request>(&request)) {
    if (ctx_.options.hang_init) {
      spdlog::debug("session {}: init ignored (--hang-init)", init->session_id);
      return;
    }
    init_session(std::move(init->session_id), init->nail_url);
  } else
    close_session(std::get<proto::ai_close_request>(request).session_id);
}

void frame_router::init_session(std::string session_id,
                                const std::string& url) {
  auto p = port();
  if (!p)
    return;
  const std::uint64_t token = ++next_token_;
  init_tokens_[session_id] = token;
  ++inits_;
  auto parsed = parse_reference_url(url);
  if (auto* err = std::get_if<pipeline_error>(&parsed)) {
    finish_init(session_id, token, std::move(*err));
    return;
  }
  const auto& ref = std::get<reference_url>(parsed);
  // Both paths end on the pool (decoding) and come back on the strand.
  auto derive = [this, p, session_id,
                 token](pipeline_result<std::string> bytes) mutable {
    auto design = design_from_bytes(session_id, std::move(bytes));
    p->dispatch(
        [this, p, session_id, token, design = std::move(design)]() mutable {
          finish_init(session_id, token, std::move(design));
        });
  };
  if (ref.scheme == reference_url::kind::file) {
    ctx_.pool.submit(
        [derive, ref, max = ctx_.options.max_reference_bytes]() mutable {
          derive(read_file_reference(ref, max));
        });
  } else {
    ctx_.fetch_http(
        ref, [&pool = ctx_.pool, derive](pipeline_result<std::string> bytes) {
          pool.submit([derive, bytes = std::move(bytes)]() mutable {
            derive(std::move(bytes));
          });
        });
  }
}

void frame_router::finish_init(const std::string& session_id,
                               std::uint64_t token, design_result result) {
  --inits_;
  auto p = port();
  auto it = init_tokens_.find(session_id);
  const bool current = it != init_tokens_.end() && it->second == token;
  if (current)
    init_tokens_.erase(it);
  if (!p)
    return;
  if (!current) {
    spdlog::debug("session {}: init superseded by a later request", session_id);
  } else if (auto* err = std::get_if<pipeline_error>(&result)) {
    spdlog::warn("session {}: init failed: {}", session_id, err->message);
    if (ctx_.metrics)
      ctx_.metrics->error(code_name(proto::error_code::init_failed));
    p->send(proto::ai_session_error_msg(
                session_id, code_name(proto::error_code::init_failed),
                err->message),
            false);
  } else {
    auto& design = std::get<std::shared_ptr<const nail_design>>(result);
    spdlog::info("session {} initialized (design mean #{:02x}{:02x}{:02x})",
                 session_id, design->mean.r, design->mean.g, design->mean.b);
    ctx_.sessions.put(session_id, std::move(design));
    p->send(proto::ai_session_initialized_msg(session_id), false);
  }
  p->job_done();
}

void frame_router::close_session(const std::string& session_id) {
  init_tokens_.erase(session_id);
  const bool was_open = ctx_.sessions.erase(session_id);
  if (auto it = lanes_.find(session_id); it != lanes_.end()) {
    // Frames not started yet are not wanted any more; the running one
    // finishes and its reply is ignored by the server.
    frames_ -= it->second.waiting.size();
    count_held(-static_cast<std::ptrdiff_t>(it->second.waiting.size()));
    it->second.waiting.clear();
  }
  spdlog::info("session {} closed{}", session_id,
               was_open ? "" : " (was not open)");
}

void frame_router::on_binary(std::string message) {
  auto decoded = proto::decode_ai_frame_request(message);
  if (auto* err = std::get_if<proto::parse_error>(&decoded)) {
    reject_frame(message, err->message);
    return;
  }
  auto& header = std::get<proto::ai_frame_request_header>(decoded);
  auto design = ctx_.sessions.find(header.session_id);
  if (!design) {
    if (ctx_.metrics) {
      ctx_.metrics->frame_rejected();
      ctx_.metrics->error(code_name(proto::error_code::invalid_session));
    }
    if (auto p = port())
      p->send(proto::ai_frame_error_msg(
                  header.session_id, header.sequence,
                  code_name(proto::error_code::invalid_session),
                  "unknown session (no init_session, or closed)"),
              false);
    return;
  }
  if (ctx_.options.never_answer_frames) {
    spdlog::debug("session {}: frame {} ignored (--never-answer-frames)",
                  header.session_id, header.sequence);
    return;
  }
  frame_job job{header.session_id, header.sequence, std::move(header.format),
                std::move(message), std::move(design)};
  ++frames_;
  count_held(1);
  lane& l = lanes_[job.session_id];
  if (l.busy) {
    l.waiting.push_back(std::move(job));
    return;
  }
  l.busy = true;
  start(std::move(job));
}

void frame_router::reject_frame(std::string_view message,
                                std::string_view reason) {
  auto p = port();
  if (!p)
    return;
  // Salvage what the header does say, to address the error.
  std::string session_id;
  std::int64_t sequence = -1;
  auto block = proto::decode_header_block(message);
  if (auto* json = std::get_if<nlohmann::json>(&block)) {
    if (auto it = json->find("session_id");
        it != json->end() && it->is_string())
      session_id = it->get<std::string>();
    if (auto it = json->find("sequence");
        it != json->end() && it->is_number_integer())
      sequence = it->get<std::int64_t>();
  }
  const bool known = !session_id.empty() && ctx_.sessions.find(session_id);
  if (ctx_.metrics) {
    ctx_.metrics->frame_rejected();
    ctx_.metrics->error(
        code_name(known ? proto::error_code::frame_processing_failed
                        : proto::error_code::invalid_session));
  }
  spdlog::debug("rejected frame (session '{}', seq {}): {}", session_id,
                sequence, reason);
  p->send(proto::ai_frame_error_msg(
              session_id, sequence,
              code_name(known ? proto::error_code::frame_processing_failed
                              : proto::error_code::invalid_session),
              reason),
          false);
}

void frame_router::start(frame_job job) {
  auto p = port();
  if (!p)
    return;
  ctx_.pool.submit([this, p, job = std::move(job)]() mutable {
    const auto t0 = std::chrono::steady_clock::now();
    auto [reply, binary] =
        render_reply(ctx_.options, job.session_id, job.sequence, job.format,
                     job.message, *job.design);
    if (ctx_.metrics) {
      ctx_.metrics->frame_done(
          binary,
          std::chrono::duration<double>(std::chrono::steady_clock::now() - t0)
              .count());
      if (!binary)
        ctx_.metrics->error(
            code_name(proto::error_code::frame_processing_failed));
    }
    p->dispatch([this, p, id = std::move(job.session_id),
                 reply = std::move(reply), binary = binary]() mutable {
      finish_frame(id, std::move(reply), binary);
    });
  });
}

void frame_router::finish_frame(const std::string& session_id,
                                std::string reply, bool binary) {
  --frames_;
  count_held(-1);
  auto p = port();
  if (!p)
    return;
  p->send(std::move(reply), binary);
  if (auto it = lanes_.find(session_id); it != lanes_.end()) {
    if (it->second.waiting.empty()) {
      lanes_.erase(it);
    } else {
      frame_job next = std::move(it->second.waiting.front());
      it->second.waiting.pop_front();
      start(std::move(next));
    }
  }
  p->job_done();
}

} // namespace tryon::ai
