#pragma once

#include "net/rest/rest_context.hpp"
#include "net/rest/upload_sink.hpp"

namespace tryon::net::rest {

/// Routes a request to its handler and turns failures into JSON errors.
/// Blocking: the transport calls it on its blocking pool.
class rest_api {
public:
  /// The path of the upload endpoint, whose body the transport streams.
  static constexpr std::string_view upload_path = "/api/try-on/upload/";

  /// Takes the handlers' dependencies.
  explicit rest_api(rest_context ctx) : ctx_(std::move(ctx)) {}

  /// Answers any request but an upload's body.
  http_response handle(const http_request& req);

  /// Admits an upload from its headers (before its body is read): the
  /// caller, or the response to send instead (401, 429, 503).
  std::variant<persistence::user, http_response>
  admit_upload(const http_request& req, std::uint64_t declared_bytes);

  /// Answers an upload whose body went into `sink` (null: not multipart).
  http_response handle_upload(const http_request& req, upload_sink* sink);

  /// The handlers' dependencies (the transport needs config and media).
  rest_context& context() { return ctx_; }

private:
  http_response route(const http_request& req);
  template <class F>
  http_response guarded(F&& f);

  rest_context ctx_;
};

} // namespace tryon::net::rest
